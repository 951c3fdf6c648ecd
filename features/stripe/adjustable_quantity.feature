@stripe @adjustable_quantity
Feature: Adjustable quantity of a line item
  "line_items.adjustable_quantity — When set, provides configuration for this item's quantity to
  be adjusted by the customer during Checkout. enabled (Required): Set to true if the quantity can
  be adjusted to any positive integer. Setting to false will remove any previously specified
  constraints on quantity. maximum: You can specify a value up to 999999. minimum: By default
  this value is 0."

  Background:
    Given a price "Mug" of 1200 usd
    And a price "Hat" of 800 usd
    And an open custom UI checkout session with line items:
      | price | quantity |
      | Mug   | 2        |

  @doc:adjustable_quantity.enabled @doc:line_items.update
  Scenario: An enabled adjustable quantity with bounds is set on an existing line item
    When I retransmit the line items:
      | id            | adjustable_quantity[enabled] | adjustable_quantity[minimum] | adjustable_quantity[maximum] |
      | {line item 1} | true                         | 1                            | 10                           |
    Then the update succeeds
    And the session's line items are:
      | id            | quantity | adjustable_quantity.enabled | adjustable_quantity.minimum | adjustable_quantity.maximum |
      | {line item 1} | 2        | true                        | 1                           | 10                          |
    And the change persists

  @doc:adjustable_quantity.enabled @doc:line_items.add
  Scenario: An enabled adjustable quantity is set on a new line item
    When I retransmit the line items:
      | id            | price | quantity | adjustable_quantity[enabled] | adjustable_quantity[maximum] |
      | {line item 1} |       |          |                              |                              |
      |               | Hat   | 1        | true                         | 5                            |
    Then the update succeeds
    And the session's line items are:
      | price.id | adjustable_quantity.enabled | adjustable_quantity.maximum |
      | Mug      | null                        | null                        |
      | Hat      | true                        | 5                           |

  @doc:adjustable_quantity.enabled
  Scenario Outline: An adjustable quantity without enabled is rejected (<line item>)
    When I retransmit the line items:
      | id   | price   | quantity   | adjustable_quantity[maximum] |
      | <id> | <price> | <quantity> | 10                           |
    Then the update is rejected with an invalid_request_error on "line_items[0][adjustable_quantity][enabled]"
    And the session is unchanged
    And the session's line items are:
      | id            | adjustable_quantity.enabled |
      | {line item 1} | null                        |

    Examples:
      | line item         | id            | price | quantity |
      | existing one      | {line item 1} |       |          |
      | new one           |               | Hat   | 1        |

  @doc:adjustable_quantity.enabled
  Scenario: Setting enabled to false removes the previously specified constraints
    Given line item 1 has an adjustable quantity from 1 to 10
    When I retransmit the line items:
      | id            | adjustable_quantity[enabled] |
      | {line item 1} | false                        |
    Then the update succeeds
    And the session's line items are:
      | id            | adjustable_quantity.enabled | adjustable_quantity.minimum | adjustable_quantity.maximum |
      | {line item 1} | false                       | null                        | null                        |
    And the change persists

  @doc:adjustable_quantity.maximum @doc:adjustable_quantity.minimum
  Scenario: The documented extremes are accepted: minimum 0 and maximum 999999
    When I retransmit the line items:
      | id            | adjustable_quantity[enabled] | adjustable_quantity[minimum] | adjustable_quantity[maximum] |
      | {line item 1} | true                         | 0                            | 999999                       |
    Then the update succeeds
    And the session's line items are:
      | id            | adjustable_quantity.minimum | adjustable_quantity.maximum |
      | {line item 1} | 0                           | 999999                      |

  @doc:adjustable_quantity.maximum @doc:adjustable_quantity.minimum
  Scenario Outline: Bounds outside the documented range are rejected (<bound> <value>)
    When I retransmit the line items:
      | id            | adjustable_quantity[enabled] | adjustable_quantity[<bound>] |
      | {line item 1} | true                         | <value>                      |
    Then the update is rejected with an invalid_request_error on "line_items[0][adjustable_quantity][<bound>]"
    And the session is unchanged
    And the session's line items are:
      | id            | adjustable_quantity.enabled |
      | {line item 1} | null                        |

    Examples:
      | bound   | value   |
      | maximum | 1000000 |
      | minimum | -1      |
