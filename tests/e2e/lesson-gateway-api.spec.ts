/**
 * A learner completes "Gateway API" (lesson 72) in the browser: Envoy Gateway installed
 * with helm, the Gateway's address read off `kubectl get gateway` (not hard-coded), three
 * HTTPRoutes written with heredocs, a 90/10 canary and the Ingress migrated to an
 * HTTPRoute, each checked with curl through the Gateway before the task ticks.
 */
import { expect, test, runAndWait, terminalReady } from './fixtures';
import { answerInPanel, expectDone, task, writeFile } from './lesson-steps';

const LESSON = '/lessons/72-gateway-api/';

const SHOP_ROUTE = (canary: boolean) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
spec:
  parentRefs:
    - name: eg
  hostnames:
    - shop.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - name: app
          port: 80
${canary ? '          weight: 90\n        - name: app-v2\n          port: 80\n          weight: 10\n' : ''}    - matches:
        - path:
            type: PathPrefix
            value: /api
      backendRefs:
        - name: api
          port: 80
`;

test('complete "Gateway API" in the browser', async ({ page }) => {
  await page.goto(LESSON);
  await terminalReady(page);
  await expect(page.getByTestId('task-count')).toHaveText('0/7');

  // Before the install, the API server does not know the kind.
  expect(await runAndWait(page, 'kubectl get gateways')).toEqual([
    'error: the server doesn\'t have a resource type "gateways"',
  ]);

  // 1. install-eg: helm, then wait for the controller.
  const helm = await runAndWait(page, 'helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.0 -n envoy-gateway-system --create-namespace');
  expect(helm).toContain('Pulled: docker.io/envoyproxy/gateway-helm:v1.9.0');
  expect(helm).toContain('NAME: eg');
  expect(helm).toContain('NAMESPACE: envoy-gateway-system');
  expect(helm).toContain('STATUS: deployed');
  expect(await runAndWait(page, 'kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available')).toEqual([
    'deployment.apps/envoy-gateway condition met',
  ]);
  await expectDone(page, 'install-eg');
  await expect(page.getByTestId('task-count')).toHaveText('1/7');

  // 2. gateway-address: apply the seeded gateway.yaml, wait for Programmed, read ADDRESS.
  expect(await runAndWait(page, 'kubectl apply -f gateway.yaml')).toEqual([
    'gatewayclass.gateway.networking.k8s.io/eg created',
    'gateway.gateway.networking.k8s.io/eg created',
  ]);
  expect(await runAndWait(page, 'kubectl wait --timeout=5m gateway/eg --for=condition=Programmed')).toEqual([
    'gateway.gateway.networking.k8s.io/eg condition met',
  ]);
  const gw = await runAndWait(page, 'kubectl get gateway eg');
  expect(gw[0]).toMatch(/^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE$/);
  const [, cls, address, programmed] = gw[1].split(/\s+/);
  expect(cls).toBe('eg');
  expect(programmed).toBe('True');
  // the address comes from the cloud's LoadBalancer pool, 203.0.113.0/28
  expect(address).toMatch(/^203\.0\.113\.([0-9]|1[0-5])$/);
  // the same address is the EXTERNAL-IP of the Service Envoy Gateway made for eg
  const svcs = await runAndWait(page, 'kubectl get services -n envoy-gateway-system -l gateway.envoyproxy.io/owning-gateway-name=eg');
  expect(svcs[1].split(/\s+/).slice(1, 4)).toEqual(['LoadBalancer', expect.stringMatching(/^10\.(9[6-9]|10[0-9]|11[01])\./) /* 10.96.0.0/12 */, address]);
  // A wrong address is refused first, in the panel.
  await answerInPanel(page, 'gateway-address', '203.0.113.200');
  await expect(task(page, 'gateway-address').getByTestId('answer-feedback')).toHaveText(/^Not quite/);
  await expectDone(page, 'gateway-address', false);
  await answerInPanel(page, 'gateway-address', address);
  await expectDone(page, 'gateway-address');

  // The seeded shop route, through the Gateway; an unknown host gets Envoy's 404.
  expect(await runAndWait(page, 'kubectl apply -f shop-route.yaml')).toEqual(['httproute.gateway.networking.k8s.io/shop created']);
  await runAndWait(page, "export GATEWAY_HOST=$(kubectl get gateway/eg -o jsonpath='{.status.addresses[0].value}')");
  expect(await runAndWait(page, 'echo $GATEWAY_HOST')).toEqual([address]);
  const shop = await runAndWait(page, "curl -i -H 'Host: shop.example.com' http://$GATEWAY_HOST/");
  expect(shop[0]).toBe('HTTP/1.1 200 OK');
  expect(shop).toContain('server: envoy');
  expect(shop.at(-1)).toBe('hello from app');
  const blog = await runAndWait(page, "curl -i -H 'Host: blog.example.com' http://$GATEWAY_HOST/");
  expect(blog[0]).toBe('HTTP/1.1 404 Not Found');

  // 3. route-api-host: a new route, written with a heredoc.
  await writeFile(page, 'api-route.yaml', `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api
spec:
  parentRefs:
    - name: eg
  hostnames:
    - api.example.com
  rules:
    - backendRefs:
        - name: api
          port: 80
`);
  expect(await runAndWait(page, 'kubectl apply -f api-route.yaml')).toEqual(['httproute.gateway.networking.k8s.io/api created']);
  await expectDone(page, 'route-api-host', false); // no curl yet
  expect(await runAndWait(page, "curl -H 'Host: api.example.com' http://$GATEWAY_HOST/")).toEqual(['hello from api']);
  await expectDone(page, 'route-api-host');

  // 4. route-shop-api: /api of shop goes to api, the rest to app.
  await writeFile(page, 'shop-route.yaml', SHOP_ROUTE(false));
  expect(await runAndWait(page, 'kubectl apply -f shop-route.yaml')).toEqual(['httproute.gateway.networking.k8s.io/shop configured']);
  expect(await runAndWait(page, "curl -H 'Host: shop.example.com' http://$GATEWAY_HOST/api/orders")).toEqual(['hello from api']);
  expect(await runAndWait(page, "curl -H 'Host: shop.example.com' http://$GATEWAY_HOST/apis")).toEqual(['hello from app']);
  expect(
    await runAndWait(page, `kubectl get httproute shop -o jsonpath='{range .status.parents[0].conditions[*]}{.type}={.status} {.reason}{"\\n"}{end}'`),
  ).toEqual(['Accepted=True Accepted', 'ResolvedRefs=True ResolvedRefs']);
  await expectDone(page, 'route-shop-api');

  // attached-routes: predict the listener's count (two routes: shop, api), then read it.
  await runAndWait(page, 'answer attached-routes 2');
  await expectDone(page, 'attached-routes', false);
  expect(await runAndWait(page, 'kubectl describe gateway eg')).toContainEqual(expect.stringMatching(/^\s+Attached Routes:\s+2$/));
  await expectDone(page, 'attached-routes');

  // 5. canary: 90/10 between app and app-v2 on the / rule.
  await writeFile(page, 'shop-route.yaml', SHOP_ROUTE(true));
  expect(await runAndWait(page, 'kubectl apply -f shop-route.yaml')).toEqual(['httproute.gateway.networking.k8s.io/shop configured']);
  await expectDone(page, 'canary');
  const twenty = await runAndWait(page, "for i in $(seq 1 20); do curl -s -H 'Host: shop.example.com' http://$GATEWAY_HOST/; done");
  expect(twenty).toHaveLength(20);
  for (const l of twenty) expect(['hello from app', 'hello from app v2']).toContain(l);
  // /api is untouched by the split
  expect(await runAndWait(page, "curl -s -H 'Host: shop.example.com' http://$GATEWAY_HOST/api")).toEqual(['hello from api']);

  // 6. migrate-ingress (the challenge): store-ingress.yaml as an HTTPRoute on eg.
  const ingress = await runAndWait(page, 'cat store-ingress.yaml');
  expect(ingress.join('\n')).toContain('host: store.example.com');
  expect(await runAndWait(page, "curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: store.example.com' http://$GATEWAY_HOST/")).toEqual(['404']);
  await writeFile(page, 'store-route.yaml', `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: store
spec:
  parentRefs:
    - name: eg
  hostnames:
    - store.example.com
  rules:
    - matches:
        - path:
            type: PathPrefix
            value: /
      backendRefs:
        - name: app
          port: 80
    - matches:
        - path:
            type: PathPrefix
            value: /api
      backendRefs:
        - name: api
          port: 80
`);
  expect(await runAndWait(page, 'kubectl apply -f store-route.yaml')).toEqual(['httproute.gateway.networking.k8s.io/store created']);
  expect(await runAndWait(page, "curl -H 'Host: store.example.com' http://$GATEWAY_HOST/api")).toEqual(['hello from api']);
  expect(await runAndWait(page, "curl -H 'Host: store.example.com' http://$GATEWAY_HOST/")).toEqual(['hello from app']);
  const routes = await runAndWait(page, 'kubectl get httproute');
  expect(routes.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
    'NAME HOSTNAMES',
    'api ["api.example.com"]',
    'shop ["shop.example.com"]',
    'store ["store.example.com"]',
  ]);
  await expectDone(page, 'migrate-ingress');

  await expect(page.getByTestId('task-count')).toHaveText('7/7');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});
