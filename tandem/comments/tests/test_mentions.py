from tandem.comments.mentions import mentioned_ids, render

MEMBERS = [(1, ("王磊", "wanglei")), (2, ("王磊磊", "wll")), (3, ("Li", "li"))]


def test_the_longest_name_wins_and_a_chinese_name_may_run_into_the_next_word():
    assert mentioned_ids("@王磊磊 请看", MEMBERS) == [2]
    assert mentioned_ids("@王磊请看一下", MEMBERS) == [1]


def test_a_latin_name_ends_with_its_word_and_an_email_address_is_no_mention():
    assert mentioned_ids("@Lisa @Li, wanglei@wanglei.cn", MEMBERS) == [3]
    assert mentioned_ids("ask@Li", MEMBERS) == []


def test_each_member_once_in_order_of_first_mention():
    assert mentioned_ids("@Li @王磊 @wanglei @Li", MEMBERS) == [3, 1]


def test_render_escapes_everything_and_highlights_only_resolved_names():
    html = render('<script>alert("x")</script> @王磊 和 @张三\n下一行', ["王磊"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<span class="mention">@王磊</span>' in html
    assert "@张三" in html and '<span class="mention">@张三' not in html
    assert "<br>下一行" in html


def test_a_name_with_markup_is_escaped_inside_the_highlight():
    assert str(render("@<b>x</b>", ["<b>x</b>"])) == '<span class="mention">@&lt;b&gt;x&lt;/b&gt;</span>'
