package godemo

import (
	"encoding/json"
	"os"
	"testing"
)

// The same request `pnpm bench` signs in JavaScript, decoded the way the demo's comment says
// ("POST 请求中的字符串转换为 map"): json.Unmarshal into map[string]interface{}.
type sample struct {
	Salt     string                 `json:"salt"`
	Params   map[string]interface{} `json:"params"`
	Expected string                 `json:"expected"`
}

func loadSample(tb testing.TB) sample {
	raw, err := os.ReadFile("testdata/ecpay-request.json")
	if err != nil {
		tb.Fatal(err)
	}
	var s sample
	if err := json.Unmarshal(raw, &s); err != nil {
		tb.Fatal(err)
	}
	if s.Salt != salt {
		tb.Fatalf("the sample's salt %q is not the demo's const salt %q", s.Salt, salt)
	}
	return s
}

func TestGetSignMatchesSample(t *testing.T) {
	s := loadSample(t)
	if got := getSign(s.Params); got != s.Expected {
		t.Fatalf("getSign = %s, want %s", got, s.Expected)
	}
}

var sink string

func BenchmarkGetSign(b *testing.B) {
	s := loadSample(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink = getSign(s.Params)
	}
}
