// The Web adapter on its own: @ttpay/core alone, no Koa types in this program. It compiles strict
// against the shipped .d.ts and answers a signed ecpay callback with a Web Response.
import { signEcpayCallback } from '@ttpay/core';
import { douyinEndpoint, webHandler } from '@ttpay/core/delivery';

const token = 'scratch-web-token';
const paid: string[] = [];
const handle = webHandler(
  douyinEndpoint({
    token,
    onPayment: async (event, { rawBody, request }) => {
      const outOrderNo = event.system === 'ecpay' ? event.msg.cp_orderno : event.msg.out_order_no;
      paid.push(`${outOrderNo} ${rawBody.length > 0} ${request.method}`);
    },
  }),
);

const fields = {
  timestamp: '1700000000',
  nonce: 'n',
  msg: JSON.stringify({ cp_orderno: 'web_1', status: 'SUCCESS', total_amount: 1 }),
};
const body = JSON.stringify({
  ...fields,
  type: 'payment',
  msg_signature: signEcpayCallback({ token, ...fields }),
});
const response = await handle(
  new Request('http://localhost/douyin/notify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  }),
);
if (response.status !== 200 || (await response.text()) !== '{"err_no":0,"err_tips":"success"}') {
  throw new Error(`the Web adapter answered ${response.status}`);
}
if (paid.join() !== 'web_1 true POST') throw new Error(`the handler saw ${paid.join()}`);
console.log('web handler ok');
