@stripe @api
Feature: What every Stripe API request follows, applied to updating a Checkout Session
  Stripe's API reference: a request needs a valid API key; an unknown parameter, at any depth, and
  a value of the wrong type are 400 invalid_request_errors naming the parameter; an id that does
  not exist is a 404; every response carries a Request-Id; a request retried with the same
  Idempotency-Key returns the first result. Only an open Checkout Session can be updated.

  Background:
    Given an open custom UI checkout session

  @doc:update.open-only @doc:update.returns-session
  Scenario: An open session can be updated and the answer is the Checkout Session
    When I update the session with:
      | metadata[order_id] | 6735 |
    Then the update succeeds
    And the session's object is "checkout.session"
    And the session's status is "open"

  @doc:update.open-only
  Scenario: A session that is no longer open cannot be updated
    Given the session has expired
    When I update the session with:
      | metadata[order_id] | 6735 |
    Then the update is rejected with an invalid_request_error
    And the session is unchanged

  @doc:api.unknown-parameter
  Scenario Outline: An unknown parameter is rejected (<param>)
    When I update the session with:
      | <param> | bar |
    Then the update is rejected because parameter "<param>" is unknown
    And the session is unchanged

    Examples:
      | param                                        |
      | foo                                          |
      | line_items[0][foo]                           |
      | shipping_options[0][shipping_rate_data][foo] |

  @doc:api.unknown-parameter
  Scenario: An unknown parameter in an otherwise valid shipping address is rejected
    When I update the session with:
      | collected_information[shipping_details][name]             | Jenny Rosen           |
      | collected_information[shipping_details][address][country] | US                    |
      | collected_information[shipping_details][address][line1]   | 354 Oyster Point Blvd |
      | collected_information[shipping_details][address][foo]     | bar                   |
    Then the update is rejected because parameter "collected_information[shipping_details][address][foo]" is unknown
    And the session is unchanged

  @doc:api.parameter-types
  Scenario Outline: A line item's quantity is an integer and adjustable_quantity[enabled] a boolean (<quantity>, <enabled>)
    When I update the session with:
      | line_items[0][id]                           | {line item 1} |
      | line_items[0][quantity]                     | <quantity>    |
      | line_items[0][adjustable_quantity][enabled] | <enabled>     |
    Then the <outcome>

    Examples:
      | quantity | enabled | outcome                                                                                           |
      | abc      | true    | update is rejected with an invalid_request_error on "line_items[0][quantity]"                     |
      | 2        | maybe   | update is rejected with an invalid_request_error on "line_items[0][adjustable_quantity][enabled]" |

  @doc:api.parameter-types
  Scenario Outline: A shipping rate's amount and delivery estimate value are integers (<amount>, <value>)
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {
        "display_name": "Standard",
        "type": "fixed_amount",
        "fixed_amount": {"amount": "<amount>", "currency": "usd"},
        "delivery_estimate": {"minimum": {"unit": "business_day", "value": "<value>"}}
      }}]}
      """
    Then the <outcome>

    Examples:
      | amount | value | outcome                                                                                                                          |
      | 500    | 3     | update succeeds                                                                                                                  |
      | ten    | 3     | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][fixed_amount][amount]"              |
      | 500    | soon  | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][value]" |

  @doc:api.authentication
  Scenario Outline: A request without a valid API key is rejected (<case>)
    When I update the session <how> with:
      | metadata[order_id] | 6735 |
    Then the update is rejected as unauthenticated
    And the session is unchanged

    Examples:
      | case                | how                                                                 |
      | no API key          | without an API key                                                  |
      | an invalid test key | with the API key "sk_test_checkout_conformance_not_a_valid_api_key" |

  @doc:api.not-found
  Scenario: Updating a session that does not exist is a 404
    When I update an unknown session with:
      | metadata[order_id] | 6735 |
    Then the update is rejected because the session does not exist

  @doc:api.request-id
  Scenario Outline: Every response carries a Request-Id (<case>)
    When I update the session with:
      | <param> | 6735 |
    Then the <answer>
    And the response carries a Request-Id

    Examples:
      | case                | param              | answer                                                 |
      | a successful update | metadata[order_id] | update succeeds                                        |
      | a rejected update   | foo                | update is rejected because parameter "foo" is unknown |

  @doc:api.idempotency
  Scenario: A request retried with the same Idempotency-Key returns the first result
    When I create the same checkout session twice with one idempotency key
    Then both answers are the same session

  @doc:api.idempotency
  Scenario: A request sent a third time with the same Idempotency-Key still returns the first result
    When I create the same checkout session 3 times with one idempotency key
    Then the last answer is the same session as the first
