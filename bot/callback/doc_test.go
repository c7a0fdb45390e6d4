package callback_test

import (
	"fmt"

	"github.com/daftar-bot/daftar/bot/callback"
)

func ExampleParse() {
	data := callback.Data{Seq: 40, Action: "b", Arg: "angkatan-2"}.String()
	d, err := callback.Parse(data)
	fmt.Println(data, d.Seq, d.Action, d.Arg, err)
	_, err = callback.Parse("40:b:<script>")
	fmt.Println(err)
	// Output:
	// 14:b:angkatan-2 40 b angkatan-2 <nil>
	// malformed callback data
}
