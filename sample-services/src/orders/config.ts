import { optional, parse, required, type Env } from '../kit/config.ts';

export interface OrdersConfig {
  paymentsUrl: string;
  notificationsUrl: string;
  capacity: number;
  currencies: string[];
  maxTotalCents: number;
  dependencyTimeoutMs: number;
  dependencyRetries: number;
}

export function readOrdersConfig(env: Env): OrdersConfig {
  return {
    paymentsUrl: required(env, 'PAYMENTS_URL', parse.url()),
    notificationsUrl: required(env, 'NOTIFICATIONS_URL', parse.url()),
    capacity: optional(env, 'ORDERS_CAPACITY', parse.int(1, 1_000_000), 10_000),
    currencies: optional(
      env,
      'CURRENCIES',
      parse.list(parse.string({ pattern: /^[A-Z]{3}$/, what: 'ISO 4217 codes like EUR,USD' })),
      ['EUR', 'USD', 'GBP'],
    ),
    // Kept equal to payments' MAX_AMOUNT_CENTS so a too-large order is the caller's 400 here,
    // not a 502 from payments.
    maxTotalCents: optional(env, 'MAX_AMOUNT_CENTS', parse.int(1, Number.MAX_SAFE_INTEGER), 1_000_000),
    dependencyTimeoutMs: optional(env, 'DEPENDENCY_TIMEOUT_MS', parse.int(1, 60_000), 2000),
    dependencyRetries: optional(env, 'DEPENDENCY_RETRIES', parse.int(0, 5), 2),
  };
}
