"""The stylesheet of label colours behind the workspace (``/projects/<slug>/codebook.css``)."""

from __future__ import annotations


def test_members_get_label_classes_as_css(make, browser):
    make.classroom()
    response = browser("alice").get("/projects/class/codebook.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert ".hl.u0-loaded-language{--u0:#b45309}" in css
    assert ".hl.u3-direct-quote{--u3:#1d4ed8}" in css
    assert ".c-image-credit{background-color:#78350f;color:#ffffff}" in css
    assert ".hl.t-loaded-language{--tint:#b4530924}" in css
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "Content-Security-Policy" in response.headers


def test_unchanged_stylesheet_is_revalidated_cheaply(make, browser):
    make.classroom()
    alice = browser("alice")
    first = alice.get("/projects/class/codebook.css")
    again = alice.get(
        "/projects/class/codebook.css", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.get_data() == b""


def test_outsiders_and_anonymous_users_get_nothing(make, browser, app):
    make.classroom()
    assert browser("mallory").get("/projects/class/codebook.css").status_code == 404
    anonymous = app.test_client().get("/projects/class/codebook.css")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_article_page_links_the_stylesheet_and_the_workspace(make, browser):
    _, article, _ = make.classroom()
    html = browser("alice").get(f"/articles/{article.id}").get_data(as_text=True)
    assert 'href="/projects/class/codebook.css"' in html
    assert 'src="/static/js/workspace.js"' in html
    assert 'data-mode="edit"' in html
    assert "style=" not in html, "no inline styles under the CSP"
