@stripe @shipping_options
Feature: Shipping options on a Checkout Session
  "shipping_options — The shipping rate options to apply to this Session. Up to a maximum of 5."
  Each option is "shipping_rate — Required unless shipping_rate_data is provided" or
  "shipping_rate_data — Required unless shipping_rate is provided": the parameters of a new
  Shipping Rate (display_name, type, fixed_amount, delivery_estimate).

  Background:
    Given an open custom UI checkout session

  @doc:shipping_options.maximum @doc:update.returns-session
  Scenario Outline: Up to five shipping options are accepted (<count> given as shipping_rate_data)
    When I update the session with <count> shipping options
    Then the update succeeds
    And the session has <count> shipping options
    And the change persists

    Examples:
      | count |
      | 1     |
      | 5     |

  @doc:shipping_options.maximum @doc:shipping_options.rate-xor-data
  Scenario: Five existing shipping rates are accepted by their shipping_rate id
    Given a shipping rate "Ground" of 300 usd
    And a shipping rate "Standard" of 500 usd
    And a shipping rate "Two-day" of 1000 usd
    And a shipping rate "Express" of 1500 usd
    And a shipping rate "Overnight" of 2500 usd
    When I update the session with:
      | shipping_options[0][shipping_rate] | {shipping rate Ground}    |
      | shipping_options[1][shipping_rate] | {shipping rate Standard}  |
      | shipping_options[2][shipping_rate] | {shipping rate Two-day}   |
      | shipping_options[3][shipping_rate] | {shipping rate Express}   |
      | shipping_options[4][shipping_rate] | {shipping rate Overnight} |
    Then the update succeeds
    And the session's shipping options are:
      | shipping_rate             | shipping_amount |
      | {shipping rate Ground}    | 300             |
      | {shipping rate Standard}  | 500             |
      | {shipping rate Two-day}   | 1000            |
      | {shipping rate Express}   | 1500            |
      | {shipping rate Overnight} | 2500            |
    And the change persists

  @doc:shipping_options.maximum
  Scenario: A sixth shipping option is rejected
    Given a shipping rate "Standard" of 500 usd
    And the session has the shipping option "Standard"
    When I update the session with 6 shipping options
    Then the update is rejected with an invalid_request_error on "shipping_options"
    And the session is unchanged

  @doc:shipping_options.rate-xor-data @doc:shipping_options.delivery_estimate
  Scenario: A shipping option given as shipping_rate_data creates a shipping rate with those parameters
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {
        "display_name": "Ground shipping",
        "type": "fixed_amount",
        "fixed_amount": {"amount": 500, "currency": "usd"},
        "delivery_estimate": {
          "minimum": {"unit": "business_day", "value": 3},
          "maximum": {"unit": "week", "value": 2}
        }
      }}]}
      """
    Then the update succeeds
    And the session's shipping options are:
      | shipping_amount |
      | 500             |
    And the session's shipping rates are:
      | display_name    | type         | fixed_amount.amount | fixed_amount.currency | delivery_estimate.minimum.unit | delivery_estimate.minimum.value | delivery_estimate.maximum.unit | delivery_estimate.maximum.value |
      | Ground shipping | fixed_amount | 500                 | usd                   | business_day                   | 3                               | week                           | 2                               |
    And the change persists

  @doc:shipping_options.rate-xor-data
  Scenario: A shipping option with both shipping_rate and shipping_rate_data is rejected
    Given a shipping rate "Standard" of 500 usd
    When I update the session with the parameters:
      """
      {"shipping_options": [{
        "shipping_rate": "{shipping rate Standard}",
        "shipping_rate_data": {
          "display_name": "Express",
          "type": "fixed_amount",
          "fixed_amount": {"amount": 1500, "currency": "usd"}
        }
      }]}
      """
    Then the update is rejected with an invalid_request_error
    And the session is unchanged

  @doc:shipping_options.rate-xor-data
  Scenario: A shipping option with neither shipping_rate nor shipping_rate_data is rejected
    When I update the session with:
      | shipping_options[0][shipping_rate] |  |
    Then the update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate]"
    And the session is unchanged

  @doc:shipping_options.display_name
  Scenario Outline: display_name is required and has at most 100 characters (<case>)
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {
        "display_name": <display_name>,
        "type": "fixed_amount",
        "fixed_amount": {"amount": 500, "currency": "usd"}
      }}]}
      """
    Then the <outcome>

    Examples:
      | case            | display_name  | outcome                                                                                                     |
      | 100 characters  | "{100 chars}" | update succeeds                                                                                             |
      | 101 characters  | "{101 chars}" | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][display_name]" |
      | no display_name | null          | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][display_name]" |

  @doc:shipping_options.type
  Scenario Outline: type is required and can only be fixed_amount (<case>)
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {
        "display_name": "Standard",
        "type": <type>,
        "fixed_amount": {"amount": 500, "currency": "usd"}
      }}]}
      """
    Then the update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][type]"
    And the session is unchanged

    Examples:
      | case              | type         |
      | no type           | null         |
      | type percentage  | "percentage" |

  @doc:shipping_options.fixed_amount
  Scenario Outline: fixed_amount must be present for type fixed_amount, with non-negative amounts (<case>)
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {
        "display_name": "Standard",
        "type": "fixed_amount",
        "fixed_amount": <fixed_amount>
      }}]}
      """
    Then the <outcome>

    Examples:
      | case                        | fixed_amount                                                                     | outcome                                                                                                                                    |
      | amount 0                    | {"amount": 0, "currency": "usd"}                                                 | update succeeds                                                                                                                            |
      | amount -1                   | {"amount": -1, "currency": "usd"}                                                | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][fixed_amount][amount]"                        |
      | no fixed_amount             | null                                                                             | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][fixed_amount]"                                |
      | currency_options amount 450 | {"amount": 500, "currency": "usd", "currency_options": {"eur": {"amount": 450}}} | update succeeds                                                                                                                            |
      | currency_options amount -1  | {"amount": 500, "currency": "usd", "currency_options": {"eur": {"amount": -1}}}  | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][fixed_amount][currency_options][eur][amount]" |

  @doc:shipping_options.delivery_estimate
  Scenario Outline: A delivery estimate bound has a value greater than 0 and a documented unit (<bound> <value> <unit>)
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {
        "display_name": "Standard",
        "type": "fixed_amount",
        "fixed_amount": {"amount": 500, "currency": "usd"},
        "delivery_estimate": {"<bound>": {"unit": "<unit>", "value": <value>}}
      }}]}
      """
    Then the <outcome>

    Examples:
      | bound   | value | unit  | outcome                                                                                                                          |
      | minimum | 1     | day   | update succeeds                                                                                                                  |
      | minimum | 0     | day   | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][value]" |
      | maximum | 1     | hour  | update succeeds                                                                                                                  |
      | maximum | 0     | hour  | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][value]" |
      | maximum | 1     | month | update succeeds                                                                                                                  |
      | maximum | 1     | year  | update is rejected with an invalid_request_error on "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][unit]"  |

  @doc:shipping_options.clear
  Scenario: Posting an empty value to shipping_options removes them
    Given a shipping rate "Standard" of 500 usd
    And a shipping rate "Express" of 1500 usd
    And the session has the shipping options "Standard", "Express"
    When I update the session with the form body:
      """
      shipping_options=
      """
    Then the update succeeds
    And the session has 0 shipping options
    And the change persists

  @doc:shipping_options.replace
  Scenario: A new list of shipping options replaces the previous one
    Given a shipping rate "Standard" of 500 usd
    And a shipping rate "Express" of 1500 usd
    And a shipping rate "Overnight" of 2500 usd
    And the session has the shipping options "Standard", "Express"
    When I update the session with:
      | shipping_options[0][shipping_rate] | {shipping rate Overnight} |
    Then the update succeeds
    And the session's shipping options are:
      | shipping_rate             | shipping_amount |
      | {shipping rate Overnight} | 2500            |
    And the change persists

  @doc:line_items.totals @doc:shipping_options.replace
  Scenario: The totals include the amount of the first shipping option
    Given a shipping rate "Standard" of 500 usd
    And a shipping rate "Express" of 1500 usd
    When I update the session with:
      | shipping_options[0][shipping_rate] | {shipping rate Standard} |
      | shipping_options[1][shipping_rate] | {shipping rate Express}  |
    Then the update succeeds
    And the session's totals are:
      | amount_subtotal | total_details.amount_shipping | amount_total |
      | 1000            | 500                           | 1500         |

  @doc:shipping_options.replace
  Scenario: An update that does not post shipping_options keeps them
    Given a shipping rate "Standard" of 500 usd
    And a shipping rate "Express" of 1500 usd
    And the session has the shipping options "Standard", "Express"
    When I update the session with the parameters:
      """
      {"metadata": {"order_id": "6735"}}
      """
    Then the update succeeds
    And the session's shipping options are:
      | shipping_rate            | shipping_amount |
      | {shipping rate Standard} | 500             |
      | {shipping rate Express}  | 1500            |
    And the change persists

  @doc:line_items.totals @doc:shipping_options.rate-xor-data
  Scenario: The totals include the first shipping option also when it is given as shipping_rate_data
    When I update the session with the parameters:
      """
      {"shipping_options": [{"shipping_rate_data": {"display_name": "Courier", "type": "fixed_amount",
        "fixed_amount": {"amount": 700, "currency": "usd"}}}]}
      """
    Then the update succeeds
    And the session's totals are:
      | amount_subtotal | total_details.amount_shipping | amount_total |
      | 1000            | 700                           | 1700         |
    And the change persists
