@stripe @collected_information
Feature: Collected information on a Checkout Session
  "collected_information — Information about the customer collected within the Checkout Session.
  Can only be set when updating embedded or custom sessions."
  "shipping_details.name (Required) — The maximum length is 255 characters."
  "shipping_details.address (Required)", with "address.country (Required)" and
  "address.line1 (Required)"; city, line2, postal_code and state are optional.

  @doc:collected_information.custom-or-embedded @doc:collected_information.address
  Scenario Outline: Shipping details are applied to <ui> sessions
    Given an open <ui> checkout session
    When I update the session with:
      | collected_information[shipping_details][name]                 | Jenny Rosen           |
      | collected_information[shipping_details][address][country]     | US                    |
      | collected_information[shipping_details][address][line1]       | 354 Oyster Point Blvd |
      | collected_information[shipping_details][address][line2]       | Suite 100             |
      | collected_information[shipping_details][address][city]        | South San Francisco   |
      | collected_information[shipping_details][address][postal_code] | 94080                 |
      | collected_information[shipping_details][address][state]       | CA                    |
    Then the update succeeds
    And the session's shipping details are:
      | name                | Jenny Rosen           |
      | address.country     | US                    |
      | address.line1       | 354 Oyster Point Blvd |
      | address.line2       | Suite 100             |
      | address.city        | South San Francisco   |
      | address.postal_code | 94080                 |
      | address.state       | CA                    |
    And the change persists

    Examples:
      | ui        |
      | custom UI |
      | embedded  |

  @doc:collected_information.custom-or-embedded
  Scenario: Shipping details cannot be set on a hosted session
    Given an open hosted checkout session
    When I update the session with:
      | collected_information[shipping_details][name]             | Jenny Rosen           |
      | collected_information[shipping_details][address][country] | US                    |
      | collected_information[shipping_details][address][line1]   | 354 Oyster Point Blvd |
    Then the update is rejected with an invalid_request_error on "collected_information"
    And the session is unchanged

  @doc:collected_information.address
  Scenario: Only the name, country and line1 are required
    Given an open custom UI checkout session
    When I update the session with:
      | collected_information[shipping_details][name]             | Jenny Rosen           |
      | collected_information[shipping_details][address][country] | US                    |
      | collected_information[shipping_details][address][line1]   | 354 Oyster Point Blvd |
    Then the update succeeds
    And the session's shipping details are:
      | name                | Jenny Rosen           |
      | address.country     | US                    |
      | address.line1       | 354 Oyster Point Blvd |
      | address.line2       | null                  |
      | address.city        | null                  |
      | address.postal_code | null                  |
      | address.state       | null                  |

  @doc:collected_information.name
  Scenario Outline: The name is required and has at most 255 characters (<case>)
    Given an open custom UI checkout session
    When I update the session with the parameters:
      """
      {"collected_information": {"shipping_details": {
        "name": <name>,
        "address": {"country": "US", "line1": "354 Oyster Point Blvd"}
      }}}
      """
    Then the <outcome>

    Examples:
      | case           | name          | outcome                                                                                             |
      | 255 characters | "{255 chars}" | update succeeds                                                                                     |
      | 256 characters | "{256 chars}" | update is rejected with an invalid_request_error on "collected_information[shipping_details][name]" |
      | no name        | null          | update is rejected with an invalid_request_error on "collected_information[shipping_details][name]" |

  @doc:collected_information.address
  Scenario Outline: The address, its country and its line1 are required (<case>)
    Given an open custom UI checkout session
    When I update the session with the parameters:
      """
      {"collected_information": {"shipping_details": {
        "name": "Jenny Rosen",
        "address": <address>
      }}}
      """
    Then the update is rejected with an invalid_request_error on "<param>"
    And the session is unchanged

    Examples:
      | case       | address                                          | param                                                     |
      | no address | null                                             | collected_information[shipping_details][address]          |
      | no country | {"line1": "354 Oyster Point Blvd"}               | collected_information[shipping_details][address][country] |
      | no line1   | {"country": "US", "city": "South San Francisco"} | collected_information[shipping_details][address][line1]   |
