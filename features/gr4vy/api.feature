@gr4vy @gr4vy_api
Feature: What every Gr4vy API request follows, applied to updating a checkout session
  Bearer JWTs with the checkout-sessions.write scope; a UUID path parameter; unknown fields
  rejected (the spec forbids additional properties); Gr4vy's error envelope.

  Background:
    Given a checkout session

  @doc:gr4vy.unknown-field @doc:gr4vy.validation-status
  Scenario Outline: An unknown field is rejected (<pointer>)
    When I update the session with the parameters:
      """
      <body>
      """
    Then the update is rejected as invalid at "<pointer>"
    And the session is unchanged

    Examples:
      | pointer                   | body                                                                                   |
      | /foo                      | {"foo": "bar"}                                                                         |
      | /cart_items/0/foo         | {"cart_items": [{"name": "Tripod", "quantity": 1, "unit_amount": 100, "foo": "bar"}]}  |
      | /airline/legs/0/foo       | {"airline": {"legs": [{"foo": "bar"}]}}                                                |

  @doc:gr4vy.session-id.uuid @doc:gr4vy.validation-status
  Scenario: A session id that is not a UUID is rejected
    When I update a session whose id is "not-a-uuid" with the parameters:
      """
      {"metadata": {"order_id": "6735"}}
      """
    Then the update is rejected as invalid at "checkout_session_id"

  @doc:gr4vy.not-found
  Scenario: Updating a session that does not exist is a 404
    When I update a session that does not exist with the parameters:
      """
      {"metadata": {"order_id": "6735"}}
      """
    Then the update is rejected because the session does not exist

  @doc:gr4vy.not-found
  Scenario: A deleted session no longer exists
    When I delete the session
    Then retrieving the session answers that it does not exist

  @doc:gr4vy.auth.bearer
  Scenario Outline: A request <how> is rejected as unauthenticated
    When I update the session <how> with the parameters:
      """
      {"metadata": {"order_id": "6735"}}
      """
    Then the update is rejected as unauthenticated
    And the session is unchanged

    Examples:
      | how                      |
      | without a token          |
      | with a malformed token   |
      | with an expired token    |

  @doc:gr4vy.auth.scope
  Scenario: A token without the checkout-sessions.write scope is forbidden
    When I update the session with a token without the write scope with the parameters:
      """
      {"metadata": {"order_id": "6735"}}
      """
    Then the update is rejected as forbidden
    And the session is unchanged

  @doc:gr4vy.update.returns-session @doc:gr4vy.validation-status
  Scenario: A rejected update changes nothing, not even its valid fields
    When I update the session with the parameters:
      """
      {"metadata": {"order_id": "6735"}, "cart_items": [{"name": "", "quantity": 1, "unit_amount": 100}]}
      """
    Then the update is rejected as invalid at "/cart_items/0/name"
    And the session is unchanged

  @doc:gr4vy.expires_at
  Scenario: A new session expires one hour after it is created
    Then the session expires 1 hour after it was created
