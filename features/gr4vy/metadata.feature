@gr4vy @gr4vy_metadata
Feature: Metadata of a Gr4vy checkout session
  "metadata — Any additional information about the transaction that you would like to store as
  key-value pairs." PUT replaces the stored map with the posted one.

  Background:
    Given a checkout session

  @doc:gr4vy.metadata @doc:gr4vy.update.returns-session
  Scenario: Posted metadata is stored
    When I update the session with the parameters:
      """
      {"metadata": {"order_id": "6735", "channel": "web"}}
      """
    Then the update succeeds
    And the session's metadata is:
      | order_id | 6735 |
      | channel  | web  |
    And the change persists

  @doc:gr4vy.metadata
  Scenario: Posted metadata replaces the stored map
    Given the session has metadata:
      | order_id | 6735 |
      | channel  | web  |
    When I update the session with the parameters:
      """
      {"metadata": {"coupon": "SPRING"}}
      """
    Then the update succeeds
    And the session's metadata is:
      | coupon | SPRING |

  @doc:gr4vy.metadata
  Scenario: Many keys are stored
    When I update the session with 60 metadata keys
    Then the update succeeds
    And the session has 60 metadata keys

  @doc:gr4vy.metadata @doc:gr4vy.validation-status
  Scenario: A metadata value that is not a string is rejected
    When I update the session with the parameters:
      """
      {"metadata": {"order_id": 6735}}
      """
    Then the update is rejected as invalid at "/metadata/order_id"
    And the session is unchanged
