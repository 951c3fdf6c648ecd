@stripe @metadata
Feature: Metadata on a Checkout Session
  "Set of key-value pairs that you can attach to an object. Individual keys can be unset by
  posting an empty value to them. All keys can be unset by posting an empty value to metadata."

  Background:
    Given an open custom UI checkout session

  @doc:metadata.set @doc:update.returns-session
  Scenario: Metadata posted on an update is attached to the session
    When I update the session with:
      | metadata[order_id] | 6735 |
    Then the update succeeds
    And the session's metadata is:
      | order_id | 6735 |
    And the change persists

  @doc:metadata.merge
  Scenario: Keys not posted are kept
    Given the session has metadata:
      | order_id | 6735    |
      | channel  | web     |
    When I update the session with:
      | metadata[channel] | mobile |
      | metadata[coupon]  | SPRING |
    Then the update succeeds
    And the session's metadata is:
      | order_id | 6735   |
      | channel  | mobile |
      | coupon   | SPRING |

  @doc:metadata.unset-key
  Scenario: A key posted with an empty value is unset
    Given the session has metadata:
      | order_id | 6735 |
      | channel  | web  |
    When I update the session with the form body:
      """
      metadata[channel]=
      """
    Then the update succeeds
    And the session's metadata is:
      | order_id | 6735 |
    And the change persists

  @doc:metadata.unset-all
  Scenario: Posting an empty value to metadata unsets all keys
    Given the session has metadata:
      | order_id | 6735 |
      | channel  | web  |
    When I update the session with the form body:
      """
      metadata=
      """
    Then the update succeeds
    And the session has no metadata
    And the change persists

  @doc:metadata.limits
  Scenario: Fifty keys are accepted
    When I update the session with 50 metadata keys
    Then the update succeeds
    And the session has 50 metadata keys

  @doc:metadata.limits
  Scenario: A fifty-first key is rejected
    When I update the session with 51 metadata keys
    Then the update is rejected with an invalid_request_error on "metadata"
    And the session is unchanged

  @doc:metadata.limits
  Scenario Outline: Key names may have up to 40 characters, values up to 500 (<key>: <value>)
    When I update the session with:
      | metadata[<key>] | <value> |
    Then the <outcome>

    Examples:
      | key        | value       | outcome                                                                 |
      | {40 chars} | ok          | update succeeds                                                         |
      | {41 chars} | ok          | update is rejected with an invalid_request_error on "metadata[{41 chars}]" |
      | key        | {500 chars} | update succeeds                                                         |
      | key        | {501 chars} | update is rejected with an invalid_request_error on "metadata[key]"       |
