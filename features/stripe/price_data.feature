@stripe @price_data
Feature: A new line item's price given inline as price_data
  "line_items.price_data — Data used to generate a new Price object inline." currency: "Three-letter
  ISO currency code, in lowercase." "One of product or product_data is required." product_data.name
  is required; "A list of up to 8 URLs of images"; unit_label: "The maximum length is 12
  characters." "One of unit_amount or unit_amount_decimal is required", "at most 12 decimal
  places", "Only one of unit_amount and unit_amount_decimal can be set." recurring.interval:
  "Either day, week, month or year." interval_count: "Maximum of three years interval allowed
  (3 years, 36 months, or 156 weeks)." tax_behavior: "One of inclusive, exclusive, or unspecified."

  Rule: A one-time price is added next to the session's line item

    Background:
      Given an open custom UI checkout session

    @doc:price_data.currency @doc:price_data.product @doc:price_data.unit_amount
    Scenario: A price in a lowercase currency with product_data and unit_amount is accepted
      When I add a line item of quantity 2 with the price_data:
        | currency           | usd     |
        | unit_amount        | 300     |
        | product_data[name] | Sticker |
      Then the update succeeds
      And the session's line items are:
        | price.currency | price.unit_amount | quantity |
        | usd            | 1000              | 1        |
        | usd            | 300               | 2        |
      And the session's totals are:
        | amount_subtotal | amount_total |
        | 1600            | 1600         |

    @doc:price_data.currency
    Scenario Outline: A currency that is not a three-letter code is rejected (<currency>)
      When I add a line item of quantity 1 with the price_data:
        | currency           | <currency> |
        | unit_amount        | 300        |
        | product_data[name] | Sticker    |
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][currency]"
      And the session is unchanged

      Examples:
        | currency |
        | us       |
        | usdollar |

    @doc:price_data.currency
    Scenario: A price without a currency is rejected
      When I add a line item of quantity 1 with the price_data:
        | unit_amount        | 300     |
        | product_data[name] | Sticker |
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][currency]"
      And the session is unchanged

    @doc:price_data.product
    Scenario: A price for an existing product is accepted
      Given a product "Poster"
      When I add a line item of quantity 1 with the price_data:
        | currency    | usd              |
        | unit_amount | 1500             |
        | product     | {product Poster} |
      Then the update succeeds
      And the session's line items are:
        | price.unit_amount | quantity |
        | 1000              | 1        |
        | 1500              | 1        |
      And the change persists

    @doc:price_data.product
    Scenario Outline: A price with <which> of product and product_data is rejected
      Given a product "Poster"
      When I add a line item of quantity 1 with the price_data:
        | currency           | usd       |
        | unit_amount        | 1500      |
        | product            | <product> |
        | product_data[name] | <name>    |
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][<param>]"
      And the session is unchanged

      Examples:
        | which   | product          | name    | param        |
        | both    | {product Poster} | Sticker | product      |
        | neither |                  |         | product_data |

    @doc:price_data.product
    Scenario: product_data without a name is rejected
      When I add a line item of quantity 1 with the price_data:
        | currency                  | usd             |
        | unit_amount               | 300             |
        | product_data[description] | A round sticker |
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][product_data][name]"
      And the session is unchanged

    @doc:price_data.unit_amount
    Scenario Outline: unit_amount_decimal with <places> decimal places is accepted
      When I add a line item of quantity 1 with the price_data:
        | currency            | usd       |
        | unit_amount_decimal | <decimal> |
        | product_data[name]  | Sticker   |
      Then the update succeeds
      And the session's line items are:
        | price.unit_amount_decimal | quantity |
        | 1000                      | 1        |
        | <decimal>                 | 1        |

      Examples:
        | places | decimal        |
        | no     | 250            |
        | 12     | 0.123456789012 |

    @doc:price_data.unit_amount
    Scenario: unit_amount_decimal with 13 decimal places is rejected
      When I add a line item of quantity 1 with the price_data:
        | currency            | usd             |
        | unit_amount_decimal | 0.1234567890123 |
        | product_data[name]  | Sticker         |
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][unit_amount_decimal]"
      And the session is unchanged

    @doc:price_data.unit_amount
    Scenario Outline: A price with <which> of unit_amount and unit_amount_decimal is rejected
      When I add a line item of quantity 1 with the price_data:
        | currency            | usd       |
        | unit_amount         | <amount>  |
        | unit_amount_decimal | <decimal> |
        | product_data[name]  | Sticker   |
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][unit_amount]"
      And the session is unchanged

      Examples:
        | which   | amount | decimal |
        | both    | 300    | 300     |
        | neither |        |         |

    @doc:price_data.images
    Scenario: A product with 8 images is accepted
      When I add a line item whose product_data has 8 images
      Then the update succeeds
      And the session's line items are:
        | price.unit_amount | quantity |
        | 1000              | 1        |
        | 500               | 1        |

    @doc:price_data.images
    Scenario: A product with 9 images is rejected
      When I add a line item whose product_data has 9 images
      Then the update is rejected with an invalid_request_error on "line_items[1][price_data][product_data][images]"
      And the session is unchanged

    @doc:price_data.unit_label
    Scenario Outline: A unit_label of <length> characters is <outcome>
      When I add a line item of quantity 1 with the price_data:
        | currency                 | usd              |
        | unit_amount              | 300              |
        | product_data[name]       | Sticker          |
        | product_data[unit_label] | {<length> chars} |
      Then the update <result>

      Examples:
        | length | outcome  | result                                                                                      |
        | 12     | accepted | succeeds                                                                                    |
        | 13     | rejected | is rejected with an invalid_request_error on "line_items[1][price_data][product_data][unit_label]" |

    @doc:price_data.tax_behavior
    Scenario Outline: tax_behavior <tax_behavior> is accepted
      When I replace the line items with a line item of quantity 1 with the price_data:
        | currency           | usd            |
        | unit_amount        | 300            |
        | product_data[name] | Sticker        |
        | tax_behavior       | <tax_behavior> |
      Then the update succeeds
      And the session's line items are:
        | price.unit_amount | price.tax_behavior |
        | 300               | <tax_behavior>     |

      Examples:
        | tax_behavior |
        | inclusive    |
        | exclusive    |
        | unspecified  |

    @doc:price_data.tax_behavior
    Scenario: A tax_behavior outside inclusive, exclusive and unspecified is rejected
      When I replace the line items with a line item of quantity 1 with the price_data:
        | currency           | usd     |
        | unit_amount        | 300     |
        | product_data[name] | Sticker |
        | tax_behavior       | taxable |
      Then the update is rejected with an invalid_request_error on "line_items[0][price_data][tax_behavior]"
      And the session is unchanged

  Rule: A recurring price replaces the line item of a subscription session

    Background:
      Given an open checkout session created with:
        """
        {"mode": "subscription", "ui_mode": "elements", "return_url": "https://example.com/return",
         "line_items": [{"quantity": 1, "price_data": {"currency": "usd", "unit_amount": 900,
           "product_data": {"name": "Magazine"}, "recurring": {"interval": "month"}}}]}
        """

    @doc:price_data.recurring.interval
    Scenario Outline: A recurring interval of one <interval> is accepted
      When I replace the line items with a line item of quantity 1 with the price_data:
        | currency                | usd        |
        | unit_amount             | 900        |
        | product_data[name]      | Magazine   |
        | recurring[interval]     | <interval> |
      Then the update succeeds
      And the session's line items are:
        | price.recurring.interval | price.recurring.interval_count |
        | <interval>               | 1                              |

      Examples:
        | interval |
        | day      |
        | week     |
        | month    |
        | year     |

    @doc:price_data.recurring.interval
    Scenario Outline: A recurring price with <which> interval is rejected
      When I replace the line items with a line item of quantity 1 with the price_data:
        | currency                  | usd        |
        | unit_amount               | 900        |
        | product_data[name]        | Magazine   |
        | recurring[interval]       | <interval> |
        | recurring[interval_count] | 1          |
      Then the update is rejected with an invalid_request_error on "line_items[0][price_data][recurring][interval]"
      And the session is unchanged

      Examples:
        | which                | interval  |
        | a fortnight          | fortnight |
        | no                   |           |

    @doc:price_data.recurring.interval_count
    Scenario Outline: An interval of <count> <interval>s (three years at most) is accepted
      When I replace the line items with a line item of quantity 1 with the price_data:
        | currency                  | usd        |
        | unit_amount               | 900        |
        | product_data[name]        | Magazine   |
        | recurring[interval]       | <interval> |
        | recurring[interval_count] | <count>    |
      Then the update succeeds
      And the session's line items are:
        | price.recurring.interval | price.recurring.interval_count |
        | <interval>               | <count>                        |

      Examples:
        | interval | count |
        | week     | 156   |
        | month    | 36    |
        | year     | 3     |

    @doc:price_data.recurring.interval_count
    Scenario Outline: An interval of <count> <interval>s (over three years) is rejected
      When I replace the line items with a line item of quantity 1 with the price_data:
        | currency                  | usd        |
        | unit_amount               | 900        |
        | product_data[name]        | Magazine   |
        | recurring[interval]       | <interval> |
        | recurring[interval_count] | <count>    |
      Then the update is rejected with an invalid_request_error on "line_items[0][price_data][recurring][interval_count]"
      And the session is unchanged

      Examples:
        | interval | count |
        | week     | 157   |
        | month    | 37    |
        | year     | 4     |
