// What each provider is sent. PURE. The generic webhook gets the whole record as documented
// JSON (docs/notifications.md "Payload"); Slack and Teams get the same facts as a short message.
import { API_VERSION, KIND, type NotificationEvent } from '../api/constants.ts';
import type { NotificationRecord } from '../api/types.ts';
import type { ProviderType } from './routing.ts';

/** Version of the webhook payload; a breaking change gets a new one. */
export const PAYLOAD_SCHEMA = 'bluegreen.dev/notification/v1';

export interface NotifiedObject {
  namespace: string;
  name: string;
  uid: string;
}

const TITLES: Record<NotificationEvent, string> = {
  ReleaseStarted: 'release started',
  PreviewReady: 'preview ready',
  AnalysisRoundFailed: 'analysis round failed',
  AnalysisRoundInconclusive: 'analysis round inconclusive',
  CanaryStepReached: 'canary step reached',
  CanaryAborted: 'canary aborted',
  AwaitingPromotion: 'awaiting promotion',
  Promoted: 'promoted',
  RolledBack: 'rolled back',
  Degraded: 'degraded',
  Recovered: 'recovered',
};

export function title(r: NotificationRecord, o: NotifiedObject): string {
  return `${o.namespace}/${o.name}: ${TITLES[r.event]}`;
}

/** The generic webhook's body: every field of the record, the object, the schema version. */
export function webhookPayload(r: NotificationRecord, o: NotifiedObject): Record<string, unknown> {
  return {
    schema: PAYLOAD_SCHEMA,
    idempotencyKey: r.key,
    event: r.event,
    severity: r.severity,
    occurredAt: r.occurredAt,
    object: { apiVersion: API_VERSION, kind: KIND, namespace: o.namespace, name: o.name, uid: o.uid },
    summary: r.summary,
    ...optional(r),
  };
}

function optional(r: NotificationRecord): Partial<NotificationRecord> {
  const { reason, revision, color, activeColor, promoteCommand, analysis, canary } = r;
  return Object.fromEntries(
    Object.entries({ reason, revision, color, activeColor, promoteCommand, analysis, canary }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

/** Slack reads &, < and > as markup. */
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Slack incoming webhook: one mrkdwn text, the promote command as a code block. */
export function slackPayload(r: NotificationRecord, o: NotifiedObject): Record<string, unknown> {
  const mark = r.severity === 'Warning' ? ':warning: ' : '';
  const lines = [`${mark}*${slackEscape(title(r, o))}*`, slackEscape(r.summary)];
  if (r.promoteCommand) lines.push(`\`\`\`${slackEscape(r.promoteCommand)}\`\`\``);
  return { text: lines.join('\n') };
}

/** Microsoft Teams incoming webhook (Workflows): a message with one Adaptive Card. */
export function teamsPayload(r: NotificationRecord, o: NotifiedObject): Record<string, unknown> {
  const facts = [
    ['revision', r.revision],
    ['colour', r.color],
    ['active', r.activeColor],
    ['reason', r.reason],
  ].filter((f): f is [string, string] => f[1] !== undefined);
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: title(r, o),
      weight: 'Bolder',
      wrap: true,
      color: r.severity === 'Warning' ? 'Attention' : 'Default',
    },
    { type: 'TextBlock', text: r.summary, wrap: true },
    { type: 'FactSet', facts: facts.map(([t, value]) => ({ title: t, value })) },
  ];
  if (r.promoteCommand) body.push({ type: 'TextBlock', text: r.promoteCommand, wrap: true, fontType: 'Monospace' });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: { type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}

export function payloadFor(type: ProviderType, r: NotificationRecord, o: NotifiedObject): string {
  const build = { webhook: webhookPayload, slack: slackPayload, teams: teamsPayload }[type];
  return JSON.stringify(build(r, o));
}
