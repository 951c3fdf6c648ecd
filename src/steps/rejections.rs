//! Rejections: the update refused as the vendor's documentation says, matched on the vendor's
//! error envelope (status, type, code, param).

use super::ConformanceWorld;
use cucumber::then;

#[then(regex = r#"^the (?:update|request) is rejected with an? (\w+) on "([^"]*)"$"#)]
async fn rejected_on(world: &mut ConformanceWorld, kind: String, param: String) {
    let param = world.resolve(&param);
    world
        .rejected(400, &[("type", &kind), ("param", &param)])
        .await;
}

#[then(regex = r"^the (?:update|request) is rejected with an? (\w+)$")]
async fn rejected_with(world: &mut ConformanceWorld, kind: String) {
    world.rejected(400, &[("type", &kind)]).await;
}

#[then(regex = r#"^the (?:update|request) is rejected because parameter "([^"]*)" is unknown$"#)]
async fn rejected_unknown(world: &mut ConformanceWorld, param: String) {
    let param = world.resolve(&param);
    world
        .rejected(
            400,
            &[
                ("type", "invalid_request_error"),
                ("code", "parameter_unknown"),
                ("param", &param),
            ],
        )
        .await;
}

#[then(regex = r"^the (?:update|request) is rejected as unauthenticated$")]
async fn rejected_unauthenticated(world: &mut ConformanceWorld) {
    let (status, fields) = world.provider.vendor().unauthenticated();
    world.rejected(status, fields).await;
}

#[then(regex = r"^the (?:update|request) is rejected because the session does not exist$")]
async fn rejected_missing(world: &mut ConformanceWorld) {
    let (status, fields) = world.provider.vendor().session_missing();
    world.rejected(status, fields).await;
}
