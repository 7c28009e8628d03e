//! A page number past the end of a list (`page=99999`, an old bookmark) leads to the list's
//! last page, with its filter kept, instead of an empty page.

use axum::http::StatusCode;

use crate::accounts_support::*;
use crate::helpers::*;

#[tokio::test]
async fn a_page_past_the_end_of_the_user_list_redirects_to_its_last_page() {
    // Arrange: 55 users in one unit, more than a page of 50.
    let t = spawn_accounts_app().await;
    let admin = admin_session(&t).await;
    add_unit(&t, &admin, "石门镇").await;
    for n in 0..55 {
        add_user(&t, &admin, &format!("sm{n:02}"), "石门镇", "official").await;
    }

    // Act
    let unit = enc("石门镇");
    let (far, headers, _) = page(
        &t.router,
        &format!("/admin/users?unit={unit}&page=99999"),
        Some(&admin),
        None,
    )
    .await;
    let (last, _, html) = page(
        &t.router,
        &format!("/admin/users?unit={}&page=2", enc("石门镇")),
        Some(&admin),
        None,
    )
    .await;
    let (garbage, _, _) = page(&t.router, "/admin/users?page=abc", Some(&admin), None).await;

    // Assert
    assert_eq!(far, StatusCode::SEE_OTHER);
    assert_eq!(
        headers["location"],
        format!("/admin/users?unit={}&page=2", enc("石门镇")).as_str()
    );
    assert_eq!(last, StatusCode::OK);
    assert!(html.contains("第 2/2 页"), "{html:.3000}");
    assert_eq!(
        garbage,
        StatusCode::OK,
        "a malformed page number is the first page"
    );
}
