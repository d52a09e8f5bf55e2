// A small Node workload for the non-Go sample: JSON round trips, a recursive
// function, string building and an array of objects that stays alive.

function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

function makeOrders(n) {
  const orders = [];
  for (let i = 0; i < n; i++) {
    orders.push({ id: i, customer: `customer-${i % 997}`, items: [i % 7, i % 11, i % 13], total: i * 1.5 });
  }
  return orders;
}

function roundTrip(orders) {
  return JSON.parse(JSON.stringify(orders)).length;
}

function render(orders) {
  let out = '';
  for (const o of orders) out += `${o.id}:${o.customer}:${o.total.toFixed(2)}\n`;
  return out.length;
}

export const kept = [];

/** Runs the workload for about `ms` milliseconds. */
export function run(ms) {
  const end = Date.now() + ms;
  let acc = 0;
  while (Date.now() < end) {
    const orders = makeOrders(5000);
    acc += roundTrip(orders);
    acc += render(orders);
    acc += fib(22);
    if (kept.length < 20) kept.push(orders);
  }
  return acc;
}
