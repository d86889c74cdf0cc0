// A sample Lambda function (copied to functions/<name>/index.ts). The local gateway (`compute:
// lambda`) invokes `handler(event, context)` with the API Gateway event format in edge.yaml
// (gateway.lambdaEventFormat: '2.0' HTTP API, or '1.0' REST / payload 1.0), and with WebSocket
// events ($connect, $default, $disconnect) on `websocket: true` routes — the same events API
// Gateway sends after deployment, so this file runs unchanged on AWS Lambda (Node.js runtime).

/** The parts of the API Gateway events this sample reads (payload 1.0, 2.0 and WebSocket). */
export interface ApiGatewayEvent {
  version?: string;
  // 2.0
  rawPath?: string;
  rawQueryString?: string;
  cookies?: string[];
  // 1.0
  path?: string;
  httpMethod?: string;
  queryStringParameters?: Record<string, string> | null;
  headers?: Record<string, string>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: {
    http?: { method: string; path: string; sourceIp: string };
    identity?: { sourceIp?: string };
    authorizer?: {
      jwt?: { claims?: Record<string, unknown> };
      lambda?: Record<string, unknown>;
      claims?: Record<string, unknown> | null;
      principalId?: string;
    };
    // WebSocket APIs
    routeKey?: string;
    eventType?: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
    connectionId?: string;
  };
}

export interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

function json(statusCode: number, value: unknown): ProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** Who called: the JWT subject, or the API key id (the gateway never passes the key itself). */
function caller(event: ApiGatewayEvent): string | null {
  const a = event.requestContext?.authorizer;
  const sub = a?.jwt?.claims?.sub ?? a?.claims?.sub;
  if (typeof sub === 'string') return sub;
  const keyId = a?.lambda?.apiKeyId ?? a?.principalId;
  return typeof keyId === 'string' ? keyId : null;
}

export async function handler(event: ApiGatewayEvent, context: LambdaContext): Promise<ProxyResult> {
  const ws = event.requestContext?.eventType;
  if (ws === 'CONNECT' || ws === 'DISCONNECT') return { statusCode: 200 };
  const body = event.body == null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (ws === 'MESSAGE') {
    // On a WebSocket route, the body returned for $default is sent back to the client.
    return json(200, { echo: body, connectionId: event.requestContext?.connectionId });
  }
  const v2 = event.version === '2.0';
  const method = v2 ? event.requestContext?.http?.method : event.httpMethod;
  const path = v2 ? event.rawPath : event.path;
  const query = v2 ? event.rawQueryString ?? '' : new URLSearchParams(event.queryStringParameters ?? {}).toString();
  return json(200, {
    function: context.functionName,
    requestId: context.awsRequestId,
    format: event.version ?? '1.0',
    method,
    path,
    query,
    user: caller(event),
    bytes: Buffer.byteLength(body),
  });
}
