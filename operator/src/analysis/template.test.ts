import { describe, expect, it } from 'vitest';
import { deploymentName } from '../api/names.ts';
import type { BlueGreenService } from '../api/types.ts';
import { QUERY_VARIABLES, renderQuery, validateQueryTemplate } from './template.ts';

const vars = { color: 'green', revision: '5d8f7c', name: 'orders', namespace: 'shop', service: 'orders-svc' };

describe('renderQuery', () => {
  it.each([
    ['no variables', 'up', 'up'],
    ['one variable', 'up{color="{{color}}"}', 'up{color="green"}'],
    ['spaces inside the braces', 'up{color="{{ color }}"}', 'up{color="green"}'],
    ['tabs inside the braces', 'up{color="{{\tcolor\t}}"}', 'up{color="green"}'],
    [
      'every variable',
      '{{color}}/{{revision}}/{{name}}/{{namespace}}/{{service}}',
      'green/5d8f7c/orders/shop/orders-svc',
    ],
    ["the colour's Deployment", 'x{deployment="{{deployment}}"}', 'x{deployment="orders-green"}'],
    [
      'a pod-name pattern for the colour (no relabelling needed)',
      'up{namespace="{{namespace}}",pod=~"{{podRegex}}"}',
      'up{namespace="shop",pod=~"orders-green-[a-z0-9]+-[a-z0-9]+"}',
    ],
    ['the same variable twice', 'a{c="{{color}}"} / b{c="{{color}}"}', 'a{c="green"} / b{c="green"}'],
    ['single PromQL braces untouched', 'sum(rate(x{a="b"}[1m]))', 'sum(rate(x{a="b"}[1m]))'],
    [
      'a realistic error-rate query',
      'sum(rate(http_requests_total{service="{{service}}",color="{{color}}",code=~"5.."}[1m]))',
      'sum(rate(http_requests_total{service="orders-svc",color="green",code=~"5.."}[1m]))',
    ],
  ])('Given %s, renders the values', (_case, template, expected) => {
    expect(renderQuery(template, vars)).toBe(expected);
  });

  it.each([
    ['an unknown variable', 'up{x="{{colour}}"}', '{{colour}}'],
    ['a variable with the wrong case', 'up{x="{{Color}}"}', '{{Color}}'],
    ['an empty placeholder', 'up{x="{{}}"}', '{{}}'],
    ['an unterminated placeholder', 'up{x="{{color"}', 'unterminated'],
    ['an empty query', '   ', 'must not be empty'],
  ])('Given %s, throws an error naming it', (_case, template, named) => {
    expect(() => renderQuery(template, vars)).toThrow(named);
  });
});

describe('validateQueryTemplate', () => {
  it.each([
    ['up{color="{{color}}"}', undefined],
    ['{{ namespace }}-{{name}}', undefined],
    ['up', undefined],
  ])('accepts %j', (template, expected) => {
    expect(validateQueryTemplate(template)).toBe(expected);
  });

  it('lists the known variables when one is unknown', () => {
    const message = validateQueryTemplate('up{x="{{pod}}"}');
    expect(message).toContain('"{{pod}}"');
    for (const name of QUERY_VARIABLES) expect(message).toContain(name);
  });

  it('reports the first unknown variable', () => {
    expect(validateQueryTemplate('{{color}} {{a}} {{b}}')).toContain('{{a}}');
  });
});

describe('derived variables', () => {
  const bgs = { metadata: { name: 'orders', namespace: 'shop' } } as BlueGreenService;

  it("Given a colour, {{deployment}} is the name the operator gives that colour's Deployment", () => {
    expect(renderQuery('{{deployment}}', vars)).toBe(deploymentName(bgs, 'green'));
  });

  it.each([
    ['a pod of the colour', 'orders-green-5d8f7c9b4-x2k9p', true],
    ['a pod of the other colour', 'orders-blue-5d8f7c9b4-x2k9p', false],
    ['a pod of a BlueGreenService named orders-green', 'orders-green-green-5d8f7c9b4-x2k9p', false],
    ['the Deployment name itself', 'orders-green', false],
  ])('Given %s, {{podRegex}} (anchored, as Prometheus does) matches: %s', (_case, pod, matches) => {
    const regex = new RegExp(`^(?:${renderQuery('{{podRegex}}', vars)})$`);
    expect(regex.test(pod)).toBe(matches);
  });
});
