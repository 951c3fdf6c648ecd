@stripe @line_items
Feature: Line items of a Checkout Session
  "When updating line items, you must retransmit the entire array of line items. To retain an
  existing line item, specify its id. To update an existing line item, specify its id along with
  the new values of the fields to update. To add a new line item, specify one of price or
  price_data and quantity. To remove an existing line item, omit the line item's ID from the
  retransmitted array. To reorder a line item, specify it at the desired position in the
  retransmitted array."

  Background:
    Given a price "Mug" of 1200 usd
    And a price "Shirt" of 2500 usd
    And a price "Hat" of 800 usd
    And an open custom UI checkout session with line items:
      | price | quantity |
      | Mug   | 1        |
      | Shirt | 2        |

  @doc:line_items.retransmit @doc:line_items.retain @doc:line_items.totals
  Scenario: Line items retransmitted by id are retained as they were
    When I retransmit the line items:
      | id            |
      | {line item 1} |
      | {line item 2} |
    Then the update succeeds
    And the session's line items are:
      | id            | price.id | quantity |
      | {line item 1} | Mug      | 1        |
      | {line item 2} | Shirt    | 2        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 6200            | 6200         |

  @doc:line_items.update @doc:line_items.totals
  Scenario: An id with a new quantity updates that line item and keeps its other fields
    When I retransmit the line items:
      | id            | quantity |
      | {line item 1} | 3        |
      | {line item 2} |          |
    Then the update succeeds
    And the session's line items are:
      | id            | price.id | quantity |
      | {line item 1} | Mug      | 3        |
      | {line item 2} | Shirt    | 2        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 8600            | 8600         |
    And the change persists

  @doc:line_items.update @doc:line_items.totals
  Scenario: An id with a new price updates that line item's price
    When I retransmit the line items:
      | id            | price |
      | {line item 1} | Hat   |
      | {line item 2} |       |
    Then the update succeeds
    And the session's line items are:
      | id            | price.id | quantity |
      | {line item 1} | Hat      | 1        |
      | {line item 2} | Shirt    | 2        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 5800            | 5800         |

  @doc:line_items.add @doc:line_items.totals
  Scenario: An element with a price and a quantity adds a line item
    When I retransmit the line items:
      | id            | price | quantity |
      | {line item 1} |       |          |
      | {line item 2} |       |          |
      |               | Hat   | 4        |
    Then the update succeeds
    And the session's line items are:
      | price.id | quantity |
      | Mug      | 1        |
      | Shirt    | 2        |
      | Hat      | 4        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 9400            | 9400         |
    And the change persists

  @doc:line_items.add @doc:line_items.totals
  Scenario: An element with price_data and product_data and a quantity adds a line item
    When I add a line item of quantity 2 with the price_data:
      | currency           | usd     |
      | unit_amount        | 300     |
      | product_data[name] | Sticker |
    Then the update succeeds
    And the session's line items are:
      | price.currency | price.unit_amount | quantity |
      | usd            | 1200              | 1        |
      | usd            | 2500              | 2        |
      | usd            | 300               | 2        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 6800            | 6800         |

  @doc:line_items.add @doc:price_data.product @doc:line_items.totals
  Scenario: An element with price_data for an existing product adds a line item of that product
    Given a product "Poster"
    When I replace the line items with a line item of quantity 1 with the price_data:
      | currency    | usd              |
      | unit_amount | 1500             |
      | product     | {product Poster} |
    Then the update succeeds
    And the session's line items are:
      | price.product    | price.unit_amount | quantity |
      | {product Poster} | 1500              | 1        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 1500            | 1500         |

  @doc:line_items.remove @doc:line_items.totals
  Scenario: A line item whose id is omitted from the retransmitted array is removed
    When I retransmit the line items:
      | id            |
      | {line item 2} |
    Then the update succeeds
    And the session's line items are:
      | id            | price.id | quantity |
      | {line item 2} | Shirt    | 2        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 5000            | 5000         |
    And the change persists

  @doc:line_items.reorder @doc:line_items.totals
  Scenario: Line items take the order of the retransmitted array
    When I retransmit the line items:
      | id            |
      | {line item 2} |
      | {line item 1} |
    Then the update succeeds
    And the session's line items are:
      | id            | price.id |
      | {line item 2} | Shirt    |
      | {line item 1} | Mug      |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 6200            | 6200         |

  @doc:line_items.reorder @doc:line_items.add @doc:line_items.remove
  Scenario: One retransmission can add, remove and reorder at once
    When I retransmit the line items:
      | id            | price | quantity |
      |               | Hat   | 1        |
      | {line item 2} |       |          |
    Then the update succeeds
    And the session's line items are:
      | price.id | quantity |
      | Hat      | 1        |
      | Shirt    | 2        |
    And the session's totals are:
      | amount_subtotal | amount_total |
      | 5800            | 5800         |

  @doc:line_items.totals
  Scenario: The amount total counts the selected shipping option after a line-item change
    Given a shipping rate "Standard" of 500 usd
    And the session has the shipping option "Standard"
    When I retransmit the line items:
      | id            | quantity |
      | {line item 1} | 2        |
      | {line item 2} |          |
    Then the update succeeds
    And the session's totals are:
      | amount_subtotal | total_details.amount_shipping | amount_total |
      | 7400            | 500                           | 7900         |

  @doc:line_items.reorder
  Scenario: Three line items take the order of the retransmitted array
    Given an open custom UI checkout session with line items:
      | price | quantity |
      | Mug   | 1        |
      | Shirt | 2        |
      | Hat   | 3        |
    When I retransmit the line items:
      | id            |
      | {line item 3} |
      | {line item 1} |
      | {line item 2} |
    Then the update succeeds
    And the session's line items are:
      | id            | price.id | quantity |
      | {line item 3} | Hat      | 3        |
      | {line item 1} | Mug      | 1        |
      | {line item 2} | Shirt    | 2        |

  @doc:line_items.id
  Scenario: An id that is not one of the session's line items is rejected
    When I retransmit the line items:
      | id                     |
      | {line item 1}          |
      | li_not_in_this_session |
    Then the update is rejected with an invalid_request_error on "line_items[1][id]"
    And the session is unchanged
    And the session's line items are:
      | id            | quantity |
      | {line item 1} | 1        |
      | {line item 2} | 2        |

  @doc:line_items.quantity @doc:line_items.add
  Scenario: A new line item without a quantity is rejected
    When I retransmit the line items:
      | id            | price |
      | {line item 1} |       |
      | {line item 2} |       |
      |               | Hat   |
    Then the update is rejected with an invalid_request_error on "line_items[2][quantity]"
    And the session is unchanged

  @doc:line_items.price-xor-price_data @doc:line_items.add
  Scenario: A new line item with neither price nor price_data is rejected
    When I retransmit the line items:
      | id            | quantity |
      | {line item 1} |          |
      | {line item 2} |          |
      |               | 1        |
    Then the update is rejected with an invalid_request_error on "line_items[2][price]"
    And the session is unchanged

  @doc:line_items.price-xor-price_data
  Scenario: A new line item with both price and price_data is rejected
    When I update the session with the parameters:
      """
      {"line_items": [
        {"id": "{line item 1}"},
        {"id": "{line item 2}"},
        {"price": "{price Hat}",
         "price_data": {"currency": "usd", "unit_amount": 300, "product_data": {"name": "Sticker"}},
         "quantity": 1}
      ]}
      """
    Then the update is rejected with an invalid_request_error on "line_items[2][price]"
    And the session is unchanged
    And the session's line items are:
      | id            | price.id |
      | {line item 1} | Mug      |
      | {line item 2} | Shirt    |

  @doc:line_items.custom-ui-only
  Scenario Outline: Line items cannot be updated on <ui> sessions
    Given an open <ui> checkout session with line items:
      | price | quantity |
      | Mug   | 1        |
    When I retransmit the line items:
      | id            | quantity |
      | {line item 1} | 2        |
    Then the update is rejected with an invalid_request_error on "line_items"
    And the session is unchanged
    And the session's line items are:
      | id            | quantity |
      | {line item 1} | 1        |

    Examples:
      | ui       |
      | hosted   |
      | embedded |

  @doc:line_items.metadata @doc:line_items.update
  Scenario: Metadata posted on a retained line item is attached to it
    When I retransmit the line items:
      | id            | metadata[color] |
      | {line item 1} | blue            |
      | {line item 2} |                 |
    Then the update succeeds
    And the session's line items are:
      | id            | metadata.color |
      | {line item 1} | blue           |
      | {line item 2} | null           |

  @doc:line_items.metadata @doc:line_items.update
  Scenario: Metadata posted on a line item after the first is attached to it
    When I retransmit the line items:
      | id            | metadata[color] |
      | {line item 1} |                 |
      | {line item 2} | green           |
    Then the update succeeds
    And the session's line items are:
      | id            | metadata.color |
      | {line item 1} | null           |
      | {line item 2} | green          |

  @doc:line_items.metadata @doc:line_items.add
  Scenario: Metadata posted on a new line item is attached to it
    When I retransmit the line items:
      | id            | price | quantity | metadata[gift] |
      | {line item 1} |       |          |                |
      |               | Hat   | 1        | yes            |
    Then the update succeeds
    And the session's line items are:
      | price.id | metadata.gift |
      | Mug      | null          |
      | Hat      | yes           |

  @doc:line_items.metadata @doc:line_items.retain
  Scenario: A line item's metadata key posted with an empty value is unset, the others kept
    Given line item 1 has metadata:
      | color | blue |
      | size  | L    |
    When I update the session with the form body:
      """
      line_items[0][id]={line item 1}&line_items[0][metadata][color]=&line_items[1][id]={line item 2}
      """
    Then the update succeeds
    And the session's line items are:
      | id            | metadata.color | metadata.size |
      | {line item 1} | null           | L             |
      | {line item 2} | null           | null          |
