from extractors.normalise import SiteProfile, normalise
from extractors.normalise.boilerplate import (
    article_end,
    is_breadcrumb,
    is_chrome,
    is_menu,
    is_meta_line,
    remove_boilerplate,
)

PROSE = "高新区坚持创新驱动发展战略,加快培育高新技术企业,全年新增科技型中小企业208家,同比增长21.4%。" * 3


def test_breadcrumbs():
    assert is_breadcrumb("当前位置:主页 > 新闻中心 > 高新区新闻 >")
    assert is_breadcrumb("主页 > 新闻中心 > 高新区新闻 >")
    assert not is_breadcrumb("营业收入增长超过10%,利润 > 5亿元的企业达到12家。")


def test_meta_and_counter_lines():
    assert is_meta_line("来源:高新院 achie.org 日期:2022-12-22 点击:")
    assert is_meta_line("发布时间:2020年12月18日发布人:科技部、湖南开发区网浏览:")
    assert not is_meta_line("备注:销售时间:5月12日-5月18日 使用时间:5月17日")
    assert not is_meta_line("（本文来源:经济日报 作者:徐占忱）")


def test_document_site_chrome():
    for line in [
        "开通VIP享超值会员特权",
        "展开>> 收起<<",
        "共4页,预览4页",
        "还剩页未读, 继续阅读",
        "声明:本文档由网友提供,仅限参考学习,如有不妥或产生版权问题,请联系我们及时删除。 客服请联系: a@b.com",
        "作者:shokzz 分类:工作总结 价格:免费 属性:4 页 大小:40.78KB 格式:DOCX 时间:2024-08-18",
        "高新区科技创新工作总结暨20xx年工作打算.docx",
        "/ 4",
        "相关文章推荐",
    ]:
        assert is_chrome(line) or is_meta_line(line), line
    assert not is_chrome("技术合同交易额达到16.8亿元,同比增长12%。")
    assert not is_chrome("附件:高新区2023年项目申报指南.pdf")
    assert not is_chrome("新一代服务器内存为16GB,存储为2TB")


def test_menus_but_not_table_rows_or_names():
    assert is_menu("首页 | 新闻中心 | 政务公开 | 投资服务")
    assert is_menu("首页 · 园区概况 · 招商引资")
    assert not is_menu("| 党工委书记 | 张国华 |")
    assert not is_menu("卡尔·海因里希·马克思")


def test_vip_feature_list_goes_with_the_chrome():
    lines = [PROSE, "开通VIP享超值会员特权", "• 多端同步记录", "• 高速下载文档", "客服"]
    assert remove_boilerplate(lines) == ([PROSE], 4)


def test_article_ends_where_link_lists_and_section_labels_begin():
    lines = [PROSE, PROSE, "湘西高新区:“四个第一” 推动绿色发展", "长沙经开区:承接自贸区制度创新任务", "协会简介",
             "协会简介:本协会是全省性联合民间组织。", "第一章 总则", "第一条 为规范内部管理,特制定本章程。"]  # fmt: skip
    assert article_end(lines) == 2


def test_short_lines_of_the_article_itself_do_not_end_it():
    lines = [PROSE, "| 党工委书记 | 张国华 |", "| 管委会主任 | 张国华 |", "| 副主任 | 李四 |", PROSE]
    assert article_end(lines) == len(lines)
    lines = [PROSE, "总监制:邹 明", "监 制:高明勇", "审 读:崔向升"]
    assert article_end(lines) == len(lines)
    lines = [PROSE, "一、总体情况", "(一)主要指标", "1.工业总产值", PROSE]
    assert article_end(lines) == len(lines)


def test_blocks_recurring_across_a_site_are_learnt_from_its_pages():
    footer = "湖南省开发区协会 地址:长沙市五一大道492号"
    pages = [f"第{i}篇文章的正文内容,讲述高新区的发展情况。\n{footer}" for i in range(4)]
    recurring = SiteProfile(min_pages=3).add_all(pages).recurring()
    assert len(recurring) == 1
    body, flags = normalise(pages[0], recurring=recurring)
    assert footer.split()[0] not in body and "boilerplate_removed" in flags
    assert "第0篇文章" in body
    assert SiteProfile(min_pages=3).add_all(pages[:2]).recurring() == frozenset()


def test_tables_headings_and_captions_do_not_end_the_article():
    # Wiki-style text: a table of posts and names, then headings and captions between sections.
    lines = [PROSE, "雄安新区临时领导班底", "党工委书记", "张国华", "党工委副书记", "田金昌、张维亮、党晓龙",
             "管委会副主任", "田金昌、吴海军、傅首清", PROSE, "文中林影为化名",
             "感谢郭张隽、货代老王、孙书傲为本文提供的帮助", "作者 王之言 高孜然"]  # fmt: skip
    assert article_end(lines) == len(lines)
    # Headings and captions read like a tail in plain text; text that its markup already cut to the
    # article has no tail to look for.
    lines = [PROSE, PROSE, "影响和评价", "考察与合作", "阿里巴巴集团于新区内设立的办公室",
             "北京市朝阳区实验小学在新区设立的校区", PROSE]  # fmt: skip
    assert article_end(lines) == 3
    assert remove_boilerplate(lines, tail=False) == (lines, 0)


def test_buttons_notices_and_tags_are_chrome():
    for line in ["展开", "收起", "播报", "编辑", "不喜欢", "减少或屏蔽此类内容推荐", "关键字： LPR",
                 "（编辑：小何）返回搜狐，查看更多", "39健康网(www.39.net)专稿，未经书面授权请勿转载。",
                 "以上内容为创作者平台用户上传并发布，本平台仅提供信息存储服务",
                 "转载请注明：原文链接 - https://example.com/a/1", "来自甘肃"]:  # fmt: skip
        assert is_chrome(line), line
    for line in [
        "广告收入达到5亿元，同比增长20%",
        "编辑部主任王明介绍，园区新增企业52家。",
        "来自甘肃的企业代表参加了会议。",
    ]:
        assert not is_chrome(line), line


def test_a_heading_beside_a_lone_chrome_word_stays():
    lines = [PROSE, "历史沿革", "播报", "编辑", PROSE]
    assert remove_boilerplate(lines, tail=False) == ([PROSE, "历史沿革", PROSE], 2)
