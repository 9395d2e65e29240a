// Package godemo holds a verbatim copy of the ecpay request-signing function from the Douyin
// guaranteed-payment documentation (the seed, "Golang 示例加签"), benchmarked as a baseline by
// `pnpm bench`. Only the package clause and this comment are added; everything below is the demo as
// published. Not product code.
package godemo

import (
	"crypto/md5"
	"fmt"
	"sort"
	"strings"
)

// 支付密钥值
const salt = "your_payment_salt"

/*
paramsMap: POST 请求中的字符串转换为 map
eg:
"{\"a\":\"string\",\"b\":1,\"c\":true}"
==>
map[string]interface {}{"a":"string", "b":1, "c":true}
*/
func getSign(paramsMap map[string]interface{}) string {
	var paramsArr []string
	for k, v := range paramsMap {
		if k == "other_settle_params" {
			continue
		}
		value := strings.TrimSpace(fmt.Sprintf("%v", v))
		if strings.HasPrefix(value, "\"") && strings.HasSuffix(value, "\"") && len(value) > 1 {
			value = value[1 : len(value)-1]
		}
		value = strings.TrimSpace(value)
		if value == "" || value == "null" {
			continue
		}
		switch k {
		// app_id, thirdparty_id, sign 字段用于标识身份,不参与签名
		case "app_id", "thirdparty_id", "sign":
		default:
			paramsArr = append(paramsArr, value)
		}
	}
	paramsArr = append(paramsArr, salt)
	sort.Strings(paramsArr)
	return fmt.Sprintf("%x", md5.Sum([]byte(strings.Join(paramsArr, "&"))))
}
