@gr4vy @cart_items
Feature: Cart items of a Gr4vy checkout session
  "cart_items — An array of cart items that represents the line items of a transaction."
  PUT /checkout/sessions/{checkout_session_id} replaces the array whole; null removes it.

  Background:
    Given a checkout session with cart items:
      | name                  | quantity | unit_amount |
      | GoPro HERO9 Camcorder | 1        | 37999       |
      | SD card               | 2        | 1999        |

  @doc:gr4vy.update.returns-session @doc:gr4vy.cart_items.replace
  Scenario: The posted array replaces the cart items whole
    When I update the session with the cart items:
      | name    | quantity | unit_amount |
      | Tripod  | 1        | 4999        |
    Then the update succeeds
    And the session's cart items are:
      | name   | quantity | unit_amount |
      | Tripod | 1        | 4999        |
    And the change persists

  @doc:gr4vy.cart_items.replace
  Scenario: The posted order is the new order
    When I update the session with the cart items:
      | name                  | quantity | unit_amount |
      | SD card               | 3        | 1999        |
      | GoPro HERO9 Camcorder | 1        | 37999       |
    Then the update succeeds
    And the session's cart items are:
      | name                  | quantity |
      | SD card               | 3        |
      | GoPro HERO9 Camcorder | 1        |

  @doc:gr4vy.cart_items.replace
  Scenario: An update that does not post cart_items keeps them
    When I update the session with the parameters:
      """
      {"metadata": {"order_id": "6735"}}
      """
    Then the update succeeds
    And the session's cart items are:
      | name                  | quantity | unit_amount |
      | GoPro HERO9 Camcorder | 1        | 37999       |
      | SD card               | 2        | 1999        |

  @doc:gr4vy.cart_items.null
  Scenario: Posting null removes the cart items
    When I update the session with the parameters:
      """
      {"cart_items": null}
      """
    Then the update succeeds
    And the session has no cart items
    And the change persists

  @doc:gr4vy.cart_item.fields
  Scenario: A cart item's optional fields are stored
    When I update the session with the cart items:
      | name   | quantity | unit_amount | discount_amount | tax_amount | external_identifier | sku       | product_url                      | product_type | seller_country |
      | Tripod | 1        | 4999        | 500             | 450        | item-789123         | sku-78912 | https://example.com/items/tripod | physical     | US             |
    Then the update succeeds
    And the session's cart items are:
      | name   | discount_amount | tax_amount | external_identifier | sku       | product_type | seller_country |
      | Tripod | 500             | 450        | item-789123         | sku-78912 | physical     | US             |

  @doc:gr4vy.cart_item.name @doc:gr4vy.validation-status
  Scenario Outline: A cart item's name has 1 to 255 characters (<case>)
    When I update the session with the parameters:
      """
      {"cart_items": [{"name": "<name>", "quantity": 1, "unit_amount": 100}]}
      """
    Then the <outcome>

    Examples:
      | case           | name        | outcome                                                   |
      | 1 character    | a           | update succeeds                                           |
      | 255 characters | {255 chars} | update succeeds                                           |
      | empty          |             | update is rejected as invalid at "/cart_items/0/name"     |
      | 256 characters | {256 chars} | update is rejected as invalid at "/cart_items/0/name"     |

  @doc:gr4vy.cart_item.quantity @doc:gr4vy.validation-status
  Scenario Outline: A cart item's quantity is 1 to 99999999 (<quantity>)
    When I update the session with the parameters:
      """
      {"cart_items": [{"name": "Tripod", "quantity": <quantity>, "unit_amount": 100}]}
      """
    Then the <outcome>

    Examples:
      | quantity  | outcome                                                   |
      | 1         | update succeeds                                           |
      | 99999999  | update succeeds                                           |
      | 0         | update is rejected as invalid at "/cart_items/0/quantity" |
      | 100000000 | update is rejected as invalid at "/cart_items/0/quantity" |
      | "two"     | update is rejected as invalid at "/cart_items/0/quantity" |

  @doc:gr4vy.cart_item.unit_amount @doc:gr4vy.validation-status
  Scenario Outline: A cart item's unit_amount is 0 to 99999999 (<unit_amount>)
    When I update the session with the parameters:
      """
      {"cart_items": [{"name": "Tripod", "quantity": 1, "unit_amount": <unit_amount>}]}
      """
    Then the <outcome>

    Examples:
      | unit_amount | outcome                                                      |
      | 0           | update succeeds                                              |
      | 99999999    | update succeeds                                              |
      | -1          | update is rejected as invalid at "/cart_items/0/unit_amount" |
      | 100000000   | update is rejected as invalid at "/cart_items/0/unit_amount" |

  @doc:gr4vy.cart_item.name @doc:gr4vy.cart_item.quantity @doc:gr4vy.cart_item.unit_amount
  Scenario Outline: A cart item without <field> is rejected
    When I update the session with the parameters:
      """
      {"cart_items": [<item>]}
      """
    Then the update is rejected as invalid at "/cart_items/0/<field>"
    And the session is unchanged

    Examples:
      | field       | item                                      |
      | name        | {"quantity": 1, "unit_amount": 100}       |
      | quantity    | {"name": "Tripod", "unit_amount": 100}    |
      | unit_amount | {"name": "Tripod", "quantity": 1}         |

  @doc:gr4vy.cart_item.fields
  Scenario Outline: A cart item's <field> outside the spec's range is rejected
    When I update the session with the parameters:
      """
      {"cart_items": [{"name": "Tripod", "quantity": 1, "unit_amount": 100, "<field>": <value>}]}
      """
    Then the update is rejected as invalid at "/cart_items/0/<field>"

    Examples:
      | field           | value       |
      | discount_amount | -1          |
      | tax_amount      | 100000000   |
      | product_type    | "spaceship" |

  @doc:gr4vy.cart_item.fields
  Scenario Outline: A cart item's <field> outside the spec's length or pattern is rejected (<case>)
    When I update the session with the parameters:
      """
      {"cart_items": [{"name": "Tripod", "quantity": 1, "unit_amount": 100, "<field>": <value>}]}
      """
    Then the update is rejected as invalid at "<pointer>"

    Examples:
      | field               | case            | value            | pointer                           |
      | sku                 | 201 characters  | "{201 chars}"    | /cart_items/0/sku                 |
      | external_identifier | 201 characters  | "{201 chars}"    | /cart_items/0/external_identifier |
      | description         | 256 characters  | "{256 chars}"    | /cart_items/0/description         |
      | categories          | empty category  | [""]             | /cart_items/0/categories/0        |
      | categories          | 51 characters   | ["{51 chars}"]   | /cart_items/0/categories/0        |
      | seller_country      | lowercase       | "us"             | /cart_items/0/seller_country      |
      | seller_country      | three letters   | "USA"            | /cart_items/0/seller_country      |

  @doc:gr4vy.cart_item.fields
  Scenario: A cart item's fields at the spec's limits are accepted
    When I update the session with the parameters:
      """
      {"cart_items": [{"name": "Tripod", "quantity": 1, "unit_amount": 100, "sku": "{200 chars}",
                       "categories": ["{50 chars}", "camera"], "seller_country": "GB", "description": "{255 chars}"}]}
      """
    Then the update succeeds
    And the session's cart items are:
      | seller_country | categories.1 |
      | GB             | camera       |
