//! Certificate pages: the public check for each status and that it shows nothing private,
//! who may open a printable certificate, the CSRF token on its forms, and its QR code, which
//! is read back with a QR decoder to the verification link.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::accounts_support::{Session, add_unit, api_post, call, page, user_session};
use crate::certificates::{UNIT, issue, issue_in, officer_app};
use crate::helpers::{TestApp, get, request, unescape};

/// The status a verify page states (`data-status` of its verdict).
fn verdict(html: &str) -> &str {
    html.split("id=\"verdict\" data-status=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("none")
}

async fn verify(t: &TestApp, number: &str) -> (StatusCode, String) {
    let (status, _, html) = get(&t.router, &format!("/verify/{number}")).await;
    (status, unescape(&html))
}

#[tokio::test]
async fn the_verify_page_says_valid_expired_revoked_superseded_or_unknown() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    let kept = issue(&t, officer.user_id, Some(1)).await;
    let revoked = issue_in(&t, officer.user_id, Some(2), "市场监管").await;
    let uri = format!("/api/admin/certificates/{}/revoke", revoked.number);
    api_post(
        &t.router,
        &uri,
        &admin,
        json!({ "reason": "违法执法被处分" }),
    )
    .await;
    let replaced = issue_in(&t, officer.user_id, Some(3), "交通运输").await;
    let uri = format!("/api/admin/certificates/{}/reissue", replaced.number);
    let (_, new) = api_post(&t.router, &uri, &admin, json!({})).await;
    let new = new["number"].as_str().expect("new number").to_string();
    // A well-formed number (its check character agrees) that was never issued.
    let mut other = kept.number.clone();
    other.replace_range(8..14, "999999");
    let never = (0..31)
        .map(|i| {
            format!(
                "{}{}",
                &other[..other.len() - 1],
                "23456789ABCDEFGHJKLMNPQRSTUVWXY".as_bytes()[i] as char
            )
        })
        .find(|n| xuefa::certificates::CertificateNumber::parse(n).is_some())
        .expect("some check character fits");

    // Act
    let (valid_status, valid) = verify(&t, &kept.number).await;
    let (_, lower) = verify(&t, &kept.number.to_lowercase()).await;
    let (_, gone) = verify(&t, &revoked.number).await;
    let (_, old) = verify(&t, &replaced.number).await;
    let (_, fresh) = verify(&t, &new).await;
    let (unknown_status, unknown) = verify(&t, &never).await;
    let (malformed_status, malformed) = verify(&t, "不是证号").await;
    t.app.clock.advance(4 * 365 * 86_400);
    let (_, expired) = verify(&t, &kept.number).await;

    // Assert
    assert_eq!(valid_status, StatusCode::OK);
    assert_eq!(verdict(&valid), "valid", "{valid:.3000}");
    assert!(valid.contains("测试用户") && valid.contains(UNIT) && valid.contains("综合行政执法"));
    assert_eq!(verdict(&lower), "valid", "typed in lower case");
    assert_eq!(verdict(&gone), "revoked");
    assert_eq!(verdict(&old), "superseded");
    assert_eq!(verdict(&fresh), "valid");
    assert_eq!(
        (unknown_status, verdict(&unknown)),
        (StatusCode::NOT_FOUND, "unknown")
    );
    assert_eq!(
        (malformed_status, verdict(&malformed)),
        (StatusCode::NOT_FOUND, "unknown")
    );
    assert_eq!(verdict(&expired), "expired");
}

#[tokio::test]
async fn the_verify_page_shows_nothing_private() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    let uri = format!("/api/admin/users/{}", officer.user_id);
    let phone = json!({ "phone": "13800001234" });
    call(
        &t.router,
        axum::http::Method::PATCH,
        &uri,
        Some(&admin),
        Some(phone),
    )
    .await;
    let c = issue(&t, officer.user_id, Some(77)).await;
    let uri = format!("/api/admin/certificates/{}/revoke", c.number);
    api_post(
        &t.router,
        &uri,
        &admin,
        json!({ "reason": "私密的处分原因" }),
    )
    .await;

    // Act: a checker, not signed in.
    let (_, html) = verify(&t, &c.number).await;

    // Assert
    assert_eq!(verdict(&html), "revoked");
    for private in [
        "zhangsan",
        "13800001234",
        "私密的处分原因",
        "86.5",
        "2026年度行政执法资格考试",
    ] {
        assert!(
            !html.contains(private),
            "{private} shown on the public page"
        );
    }
    assert!(
        html.contains("测试用户"),
        "the name is what a checker compares"
    );
}

#[tokio::test]
async fn the_verify_page_is_rate_limited_per_address() {
    let (t, _admin, officer) = officer_app().await;
    let c = issue(&t, officer.user_id, Some(1)).await;

    let mut statuses = Vec::new();
    for _ in 0..75 {
        statuses.push(verify(&t, &c.number).await.0);
    }

    // 60 at once, then about one a second: a burst of 75 cannot all pass.
    assert!(
        statuses[..60].iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

async fn certificate_page(t: &TestApp, s: &Session, number: &str) -> (StatusCode, String) {
    let (status, _, html) =
        page(&t.router, &format!("/certificates/{number}"), Some(s), None).await;
    (status, html)
}

#[tokio::test]
async fn only_the_holder_and_admins_of_the_holders_unit_open_the_certificate() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    let colleague = user_session(&t, &admin, "lisi", UNIT, "officer").await;
    let own_admin = user_session(&t, &admin, "guanli", "柱山乡", "unit_admin").await;
    add_unit(&t, &admin, "石桥镇").await;
    let other_admin = user_session(&t, &admin, "waiguan", "石桥镇", "unit_admin").await;
    let c = issue(&t, officer.user_id, Some(1)).await;

    // Act
    let (holder, holder_html) = certificate_page(&t, &officer, &c.number).await;
    let (peer, _) = certificate_page(&t, &colleague, &c.number).await;
    let (own, own_html) = certificate_page(&t, &own_admin, &c.number).await;
    let (foreign, _) = certificate_page(&t, &other_admin, &c.number).await;
    let (system, _) = certificate_page(&t, &admin, &c.number).await;
    let (anonymous, headers, _) = get(&t.router, &format!("/certificates/{}", c.number)).await;

    // Assert
    assert_eq!(holder, StatusCode::OK);
    assert!(holder_html.contains(&c.number) && !holder_html.contains("id=\"revoke\""));
    assert_eq!(
        peer,
        StatusCode::NOT_FOUND,
        "another official's certificate"
    );
    assert_eq!(own, StatusCode::OK);
    assert!(own_html.contains("id=\"revoke\"") && own_html.contains("id=\"reissue\""));
    assert_eq!(
        foreign,
        StatusCode::NOT_FOUND,
        "a unit admin of another unit"
    );
    assert_eq!(system, StatusCode::OK);
    assert_eq!(anonymous, StatusCode::SEE_OTHER, "{headers:?}");
}

#[tokio::test]
async fn the_revoke_and_reissue_forms_need_the_sessions_csrf_token() {
    // Arrange
    let (t, admin, officer) = officer_app().await;
    let c = issue(&t, officer.user_id, Some(1)).await;
    let revoke = format!("/admin/certificates/{}/revoke", c.number);
    let reissue = format!("/admin/certificates/{}/reissue", c.number);

    // Act
    let (forged, _, _) = page(
        &t.router,
        &revoke,
        Some(&admin),
        Some(&[("reason", "伪造")]),
    )
    .await;
    let (forged_reissue, _, _) = page(&t.router, &reissue, Some(&admin), Some(&[("x", "1")])).await;
    let (unchanged, _) = verify(&t, &c.number).await;
    let unchanged_html = verify(&t, &c.number).await.1;
    let form = [("csrf_token", admin.csrf.as_str()), ("reason", "  ")];
    let (blank, _, blank_html) = page(&t.router, &revoke, Some(&admin), Some(&form)).await;
    let form = [
        ("csrf_token", admin.csrf.as_str()),
        ("reason", "调离执法岗位"),
    ];
    let (done, headers, _) = page(&t.router, &revoke, Some(&admin), Some(&form)).await;
    let (_, after) = verify(&t, &c.number).await;

    // Assert
    assert_eq!(forged, StatusCode::FORBIDDEN);
    assert_eq!(forged_reissue, StatusCode::FORBIDDEN);
    assert_eq!(unchanged, StatusCode::OK);
    assert_eq!(verdict(&unchanged_html), "valid");
    assert_eq!(blank, StatusCode::BAD_REQUEST);
    assert!(blank_html.contains("请填写吊销原因"), "{blank_html:.3000}");
    assert_eq!(done, StatusCode::SEE_OTHER);
    let to = headers.get(header::LOCATION).and_then(|l| l.to_str().ok());
    assert_eq!(to, Some(format!("/certificates/{}", c.number).as_str()));
    assert_eq!(verdict(&after), "revoked");
}

/// The dark modules of the renderer's SVG (`M{x} {y}h{w}v{h}H{x}V{y}` rectangles) as a
/// greyscale image, read back by an independent QR decoder.
fn decode_svg_qr(svg: &str) -> String {
    let attr = |name: &str| -> usize {
        svg.split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|v| v.parse().ok())
            .expect("svg size")
    };
    let (w, h) = (attr("width"), attr("height"));
    let mut dark = vec![false; w * h];
    let path = svg
        .split(" d=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("path");
    for rect in path.split('M').filter(|r| !r.is_empty()) {
        let nums: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().expect("number"))
            .collect();
        let (x, y, rw, rh) = (nums[0], nums[1], nums[2], nums[3]);
        for yy in y..y + rh {
            for xx in x..x + rw {
                dark[yy * w + xx] = true;
            }
        }
    }
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(
            w,
            h,
            |x, y| {
                if dark[y * w + x] { 0 } else { 255 }
            },
        );
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the SVG");
    grids[0].decode().expect("a readable QR code").1
}

#[tokio::test]
async fn the_printable_certificate_carries_a_qr_code_of_its_verify_link() {
    // Arrange
    let (t, _admin, officer) = officer_app().await;
    let c = issue(&t, officer.user_id, Some(1)).await;
    let req = Request::get(format!("/certificates/{}", c.number))
        .header(header::COOKIE, &officer.cookie)
        .header(header::HOST, "xuefa.zhushan.gov.cn")
        .body(Body::empty())
        .expect("request");

    // Act
    let (status, _, html) = request(&t.router, req).await;

    // Assert
    assert_eq!(status, StatusCode::OK);
    let expected = format!("http://xuefa.zhushan.gov.cn/verify/{}", c.number);
    let svg = html
        .split("<svg")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .map(|s| format!("<svg{s}</svg>"))
        .expect("an inline SVG");
    assert_eq!(decode_svg_qr(&svg), expected);
    let text = unescape(&html);
    assert!(
        text.contains(&expected),
        "the link is printed beside the code too: {text:.6000}"
    );
    assert!(html.contains("发证机关：重庆市司法局"));
    assert!(
        html.contains("id=\"c-exam\""),
        "the exam and score are on the certificate"
    );
}
