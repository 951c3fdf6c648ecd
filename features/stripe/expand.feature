@stripe @expand
Feature: Expanding the line items in the answer to an update
  "expand[] — Specifies which fields in the response should be expanded." The line items of a
  Checkout Session are expandable: the answer holds them only when they are asked for.

  Background:
    Given a price "Widget" of 1500 usd
    And an open custom UI checkout session with line items:
      | price  | quantity |
      | Widget | 2        |

  @doc:expand.line_items @doc:update.returns-session
  Scenario: An update with expand[]=line_items returns the line items in the response
    When I update the session with:
      | metadata[order_id] | 6735       |
      | expand[]           | line_items |
    Then the update succeeds
    And the response includes the line items:
      | price.id | quantity |
      | Widget   | 2        |

  @doc:expand.line_items
  Scenario: The expanded line items are the ones after the update
    When I update the session with:
      | line_items[0][id]       | {line item 1} |
      | line_items[0][quantity] | 3             |
      | expand[]                | line_items    |
    Then the update succeeds
    And the response includes the line items:
      | price.id | quantity |
      | Widget   | 3        |

  @doc:expand.line_items
  Scenario: Without expand the response has no line_items
    When I update the session with:
      | metadata[order_id] | 6735 |
    Then the update succeeds
    And the response does not include the line items
