import { IN_STOCK, PRODUCTS, REVIEWS, USERS, type ReviewRow } from './data';

/**
 * TestQuery's answer, built from the data by the benchmark's rules (not by running a gateway):
 * what every response of a run is checked against.
 */
export function expectedTestQueryResponse(): { data: Record<string, unknown> } {
  const product = (upc: string) => {
    const row = PRODUCTS.find((candidate) => candidate.upc === upc)!;
    const shippingEstimate = row.price > 1000 ? 0 : Math.floor(row.weight / 2);
    return { inStock: IN_STOCK[upc], name: row.name, price: row.price, shippingEstimate, upc, weight: row.weight };
  };
  const review = (row: ReviewRow) => ({ id: row.id, body: row.body });
  const reviewsOf = (upc: string) => REVIEWS.filter((row) => row.productUpc === upc);
  // Every review's author is user 1 with the first two reviews.
  const author = {
    id: '1',
    username: 'urigo',
    name: 'Uri Goldshtein',
    reviews: REVIEWS.slice(0, 2).map((row) => ({ ...review(row), product: product(row.productUpc) })),
  };
  return {
    data: {
      users: USERS.map((user) => ({
        id: user.id,
        username: user.username,
        name: user.name,
        reviews: REVIEWS.slice(0, 2).map((row) => ({
          ...review(row),
          product: { ...product(row.productUpc), reviews: reviewsOf(row.productUpc).map((other) => ({ ...review(other), author })) },
        })),
      })),
      topProducts: PRODUCTS.slice(0, 5).map((row) => ({
        ...product(row.upc),
        reviews: reviewsOf(row.upc).map((other) => ({ ...review(other), author })),
      })),
    },
  };
}
