@gr4vy @buyer
Feature: The buyer of a Gr4vy checkout session
  The documentation page lists cart_items, metadata and airline; the spec's CheckoutSessionUpdate
  also takes a guest buyer (GuestBuyer, BillingDetails, Address, TaxId) with typed, bounded fields.

  Background:
    Given a checkout session

  @doc:gr4vy.buyer
  Scenario: A guest buyer within the spec's limits is accepted
    When I update the session with the parameters:
      """
      {"buyer": {"display_name": "John Lunn", "external_identifier": "buyer-123",
                 "billing_details": {"first_name": "John", "last_name": "Lunn", "email_address": "john@example.com",
                                     "phone_number": "+1234567890",
                                     "address": {"city": "London", "country": "GB", "postal_code": "EC1A 1BB",
                                                 "line1": "1 Long Lane", "state_code": "GB-LND"}}}}
      """
    Then the update succeeds

  @doc:gr4vy.buyer
  Scenario Outline: A buyer field outside the spec's limits is rejected (<case>)
    When I update the session with the parameters:
      """
      {"buyer": {<buyer>}}
      """
    Then the update is rejected as invalid at "<pointer>"
    And the session is unchanged

    Examples:
      | case                          | buyer                                                             | pointer                                         |
      | display name of 201 chars     | "display_name": "{201 chars}"                                     | /buyer/display_name                             |
      | city of 101 chars             | "billing_details": {"address": {"city": "{101 chars}"}}           | /buyer/billing_details/address/city             |
      | phone number without +        | "billing_details": {"phone_number": "020 7946 0000"}              | /buyer/billing_details/phone_number             |
      | lowercase country             | "billing_details": {"address": {"country": "gb"}}                 | /buyer/billing_details/address/country          |
      | tax id without kind           | "billing_details": {"tax_id": {"value": "GB123456789"}}           | /buyer/billing_details/tax_id/kind              |
