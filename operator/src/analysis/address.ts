// Pure check of a Prometheus base URL, shared by spec validation (api/validate.ts, which must
// not load the HTTP client) and the client's constructor.

/** Returns why `address` is not usable as a Prometheus base URL, or undefined. For spec validation. */
export function validatePrometheusAddress(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `address ${JSON.stringify(address)} is not an absolute URL (e.g. http://prometheus.monitoring:9090)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `address must use http or https, got ${url.protocol}`;
  if (url.username !== '' || url.password !== '') return 'address must not contain credentials; use headersSecretRef';
  if (url.search !== '' || url.hash !== '') return 'address must not contain a query string or fragment';
  return undefined;
}
