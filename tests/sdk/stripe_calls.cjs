// The table of stripe-node calls tests/sdk.rs runs against the mock (stripe@23.2.0, pinned to
// 2026-07-29.dahlia through `apiVersion`: its default, 2026-11-18.endive, is a version the mock
// does not model — one row checks that it says so). Prints one JSON line per call:
// {"call", "ok", "detail"}.
//
// Usage: node stripe_calls.cjs NODE_MODULES_DIR BASE_URL API_KEY
'use strict';
const path = require('path');
const [modules, base, key] = process.argv.slice(2);
const Stripe = require(path.join(modules, 'stripe'));
const url = new URL(base);
const options = {
  host: url.hostname,
  port: Number(url.port),
  protocol: 'http',
  maxNetworkRetries: 0,
  telemetry: false,
};
const stripe = new Stripe(key, {...options, apiVersion: '2026-07-29.dahlia'});
const state = {};
const results = [];

function expect(condition, what) {
  if (!condition) throw new Error(`expectation failed: ${typeof what === 'string' ? what : JSON.stringify(what)}`);
}

async function expectError(fn, type, status, code, param) {
  try {
    await fn();
  } catch (e) {
    expect(e.type === type, `type ${e.type} != ${type}`);
    expect(e.statusCode === status, `statusCode ${e.statusCode} != ${status}`);
    expect(e.code === code, `code ${e.code} != ${code}`);
    expect(e.param === param, `param ${e.param} != ${param}`);
    expect((e.requestId || '').startsWith('req_'), `requestId ${e.requestId}`);
    return `${type} ${status} ${code} ${param}`;
  }
  throw new Error(`no ${type} raised`);
}

const calls = [
  ['price.create', async () => {
    const price = await stripe.prices.create({currency: 'usd', unit_amount: 1500, lookup_key: 'tee',
      product_data: {name: 'T-shirt'}, metadata: {sku: 'T1'}});
    expect(price.object === 'price' && price.lookup_key === 'tee', price);
    state.price = price.id;
    state.productOfPrice = price.product;
  }],
  ['price.retrieve', async () => {
    expect((await stripe.prices.retrieve(state.price)).metadata.sku === 'T1', 'metadata');
  }],
  ['product.create', async () => {
    const product = await stripe.products.create({name: 'Mug', description: 'Ceramic', metadata: {a: '1'}});
    expect(product.object === 'product' && product.name === 'Mug', product);
    state.product = product.id;
  }],
  ['product.retrieve', async () => {
    expect((await stripe.products.retrieve(state.product)).description === 'Ceramic', 'description');
  }],
  ['product.update', async () => {
    const product = await stripe.products.update(state.product, {name: 'Big mug', metadata: {a: '', b: '2'}});
    expect(product.name === 'Big mug' && JSON.stringify(product.metadata) === '{"b":"2"}', product);
  }],
  ['product.list', async () => {
    const page = await stripe.products.list({limit: 1});
    expect(page.object === 'list' && page.data.length === 1 && page.has_more, page);
    const every = [];
    for await (const p of stripe.products.list({limit: 1})) every.push(p.id);
    expect(every.includes(state.product) && every.includes(state.productOfPrice), every);
  }],
  ['shipping_rate.create', async () => {
    const rate = await stripe.shippingRates.create({display_name: 'Ground', type: 'fixed_amount',
      fixed_amount: {amount: 500, currency: 'usd'}});
    expect(rate.object === 'shipping_rate' && rate.fixed_amount.amount === 500, rate);
    state.rate = rate.id;
  }],
  ['shipping_rate.retrieve', async () => {
    expect((await stripe.shippingRates.retrieve(state.rate)).display_name === 'Ground', 'display_name');
  }],
  ['tax_rate.create', async () => {
    const rate = await stripe.taxRates.create({display_name: 'VAT', inclusive: false, percentage: 19, country: 'DE'});
    expect(rate.object === 'tax_rate' && rate.percentage === 19, rate);
    state.taxRate = rate.id;
  }],
  ['tax_rate.retrieve', async () => {
    expect((await stripe.taxRates.retrieve(state.taxRate)).country === 'DE', 'country');
  }],
  ['checkout.sessions.create (common parameters)', async () => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment', ui_mode: 'elements', return_url: 'https://example.com/return',
      line_items: [{price: state.price, quantity: 2}],
      customer_email: 'buyer@example.com', locale: 'fr', client_reference_id: 'cart_42',
      allow_promotion_codes: true, billing_address_collection: 'required',
      automatic_tax: {enabled: true}, phone_number_collection: {enabled: true},
      payment_intent_data: {description: 'order 42'}, submit_type: 'pay',
      shipping_options: [{shipping_rate: state.rate}], metadata: {order: '42'},
    });
    expect(session.object === 'checkout.session' && session.amount_subtotal === 3000, session);
    expect(session.locale === 'fr' && session.submit_type === 'pay', session);
    state.session = session.id;
  }],
  ['checkout.sessions.create (hosted_page)', async () => {
    const hosted = await stripe.checkout.sessions.create({mode: 'payment', success_url: 'https://example.com/ok',
      line_items: [{price: state.price, quantity: 1}]});
    expect(hosted.url && hosted.ui_mode === 'hosted_page', hosted);
    state.hosted = hosted.id;
  }],
  ['checkout.sessions.retrieve (expand line_items)', async () => {
    const session = await stripe.checkout.sessions.retrieve(state.session, {expand: ['line_items']});
    expect(session.line_items.data[0].quantity === 2, session.line_items);
    state.lineItem = session.line_items.data[0].id;
  }],
  ['checkout.sessions.listLineItems', async () => {
    const items = await stripe.checkout.sessions.listLineItems(state.session, {limit: 1});
    expect(items.data[0].id === state.lineItem, items);
  }],
  ['checkout.sessions.update (metadata)', async () => {
    const session = await stripe.checkout.sessions.update(state.session, {metadata: {order: '', note: 'x'}});
    expect(JSON.stringify(session.metadata) === '{"note":"x"}', session.metadata);
  }],
  ['checkout.sessions.update (shipping_options)', async () => {
    const session = await stripe.checkout.sessions.update(state.session, {shipping_options: [{shipping_rate_data: {
      display_name: 'Express', type: 'fixed_amount', fixed_amount: {amount: 1500, currency: 'usd'}}}]});
    expect(session.shipping_cost.amount_total === 1500, session.shipping_cost);
  }],
  ['checkout.sessions.update (line_items)', async () => {
    const session = await stripe.checkout.sessions.update(state.session, {line_items: [
      {id: state.lineItem, quantity: 3},
      {price_data: {currency: 'usd', unit_amount: 250, product_data: {name: 'Sticker'}}, quantity: 4}]});
    expect(session.amount_subtotal === 5500, session);
  }],
  ['checkout.sessions.update (collected_information)', async () => {
    const session = await stripe.checkout.sessions.update(state.session, {collected_information: {
      shipping_details: {name: 'Ada', address: {country: 'GB', line1: '1 Road'}}}});
    expect(session.collected_information.shipping_details.name === 'Ada', session.collected_information);
  }],
  ['checkout.sessions.list (pagination)', async () => {
    const page = await stripe.checkout.sessions.list({limit: 1});
    expect(page.has_more && page.url === '/v1/checkout/sessions', page);
    const every = [];
    for await (const s of stripe.checkout.sessions.list({limit: 1})) every.push(s.id);
    expect(every.length === 2 && every.includes(state.session), every);
  }],
  ['checkout.sessions.expire', async () => {
    expect((await stripe.checkout.sessions.expire(state.hosted)).status === 'expired', 'status');
  }],
  ['idempotent replay', async () => {
    const params = {currency: 'usd', unit_amount: 700, product: state.product};
    const first = await stripe.prices.create(params, {idempotencyKey: 'node-replay-1'});
    const again = await stripe.prices.create(params, {idempotencyKey: 'node-replay-1'});
    expect(first.id === again.id, [first.id, again.id]);
    expect(again.lastResponse.headers['idempotent-replayed'] === 'true', again.lastResponse.headers);
  }],
  ['error: idempotency key reused', () => expectError(
    () => stripe.prices.create({currency: 'usd', unit_amount: 701, product: state.product}, {idempotencyKey: 'node-replay-1'}),
    'StripeIdempotencyError', 400, undefined, undefined)],
  ['error: unknown parameter', () => expectError(
    () => stripe.checkout.sessions.update(state.session, {foo: 'bar'}),
    'StripeInvalidRequestError', 400, 'parameter_unknown', 'foo')],
  ['error: invalid integer', () => expectError(
    () => stripe.checkout.sessions.update(state.session, {line_items: [{id: state.lineItem, quantity: 'many'}]}),
    'StripeInvalidRequestError', 400, 'parameter_invalid_integer', 'line_items[0][quantity]')],
  ['error: missing parameter', () => expectError(
    () => stripe.taxRates.create({display_name: 'VAT', inclusive: false}),
    'StripeInvalidRequestError', 400, 'parameter_missing', 'percentage')],
  ['error: no such session', () => expectError(
    () => stripe.checkout.sessions.retrieve('cs_test_nope'),
    'StripeInvalidRequestError', 404, 'resource_missing', 'id')],
  ['error: invalid API key', () => expectError(
    () => new Stripe('sk_live_nope', {...options, apiVersion: '2026-07-29.dahlia'}).prices.retrieve(state.price),
    'StripeAuthenticationError', 401, undefined, undefined)],
  ['error: the SDK default version is not modelled', async () => {
    try {
      await new Stripe(key, options).prices.retrieve(state.price);
    } catch (e) {
      expect(e.type === 'StripeInvalidRequestError' && e.statusCode === 400, `${e.type} ${e.statusCode}`);
      expect(e.message.includes('does not model'), e.message);
      return e.message;
    }
    throw new Error('the default (unmodelled) version was answered');
  }],
];

(async () => {
  for (const [name, fn] of calls) {
    try {
      const detail = await fn();
      results.push({call: name, ok: true, detail: detail || ''});
    } catch (e) {
      results.push({call: name, ok: false, detail: `${e && e.type || ''} ${e && e.stack || e}`});
    }
  }
  for (const row of results) console.log(JSON.stringify(row));
})();
