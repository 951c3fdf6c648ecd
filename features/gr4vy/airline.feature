@gr4vy @airline
Feature: The airline addendum of a Gr4vy checkout session
  "airline — The airline addendum data which describes the airline booking associated with this
  transaction." The spec allows at most 20 legs and 20 passengers, with typed fields.

  Background:
    Given a checkout session

  @doc:gr4vy.airline.limits
  Scenario Outline: Up to 20 <what> are accepted, the 21st is rejected (<count>)
    When I update the session with <count> airline <what>
    Then the <outcome>

    Examples:
      | what       | count | outcome                                           |
      | legs       | 20    | update succeeds                                   |
      | legs       | 21    | update is rejected as invalid at "/airline/legs"       |
      | passengers | 20    | update succeeds                                   |
      | passengers | 21    | update is rejected as invalid at "/airline/passengers" |

  @doc:gr4vy.airline.limits
  Scenario: The stored addendum has the posted legs
    When I update the session with 3 airline legs
    Then the update succeeds
    And the session's airline has 3 legs
    And the change persists

  @doc:gr4vy.airline.fields @doc:gr4vy.validation-status
  Scenario Outline: A typed airline field with a value of the wrong kind is rejected (<field>)
    When I update the session with the parameters:
      """
      {"airline": {<addendum>}}
      """
    Then the update is rejected as invalid at "<pointer>"
    And the session is unchanged

    Examples:
      | field              | addendum                                                  | pointer                           |
      | departure_at       | "legs": [{"departure_at": "yesterday"}]                   | /airline/legs/0/departure_at      |
      | fare_amount        | "legs": [{"fare_amount": "a hundred"}]                    | /airline/legs/0/fare_amount       |
      | age_group          | "passengers": [{"age_group": "teenager"}]                 | /airline/passengers/0/age_group   |
      | date_of_birth      | "passengers": [{"date_of_birth": "16/07/2013"}]           | /airline/passengers/0/date_of_birth |
      | restricted_ticket  | "restricted_ticket": "maybe"                              | /airline/restricted_ticket        |

  @doc:gr4vy.airline.fields
  Scenario Outline: An airline string, amount or code outside the spec's limits is rejected (<case>)
    When I update the session with the parameters:
      """
      {"airline": {<addendum>}}
      """
    Then the update is rejected as invalid at "<pointer>"

    Examples:
      | case                            | addendum                                          | pointer                              |
      | record locator of 51 characters | "passenger_name_record": "{51 chars}"             | /airline/passenger_name_record       |
      | flight number of 2 characters   | "legs": [{"flight_number": "BA"}]                 | /airline/legs/0/flight_number        |
      | passenger title of 51 chars     | "passengers": [{"title": "{51 chars}"}]           | /airline/passengers/0/title          |
      | negative fare                   | "legs": [{"fare_amount": -1}]                     | /airline/legs/0/fare_amount          |
      | fee over 99999999               | "legs": [{"fee_amount": 100000000}]               | /airline/legs/0/fee_amount           |
      | lowercase departure country     | "legs": [{"departure_country": "uk"}]             | /airline/legs/0/departure_country    |
      | phone number without +          | "passengers": [{"phone_number": "1234567890"}]    | /airline/passengers/0/phone_number   |

  @doc:gr4vy.airline.fields
  Scenario: The documentation's example addendum is accepted
    When I update the session with the parameters:
      """
      {"airline": {"passenger_name_record": "JOHN L", "booking_code": "X36Q9C", "ticket_number": "123-1234-151555",
                   "issued_at": "2013-07-16T19:23:00.000+00:00", "restricted_ticket": false, "issuing_carrier_code": "A3",
                   "passengers": [{"title": "Mr.", "first_name": "John", "last_name": "Lunn", "phone_number": "+1234567890",
                                   "date_of_birth": "2013-07-16", "age_group": "adult"}],
                   "legs": [{"carrier_code": "LY", "flight_number": "BA98", "departure_at": "2013-07-16T19:23:00.000+00:00",
                             "departure_country": "UK", "departure_airport": "LHR", "arrival_airport": "LHR",
                             "fare_amount": 100, "route_type": "round_trip"}]}}
      """
    Then the update succeeds
    And the session's airline has 1 legs
