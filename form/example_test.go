package form_test

import (
	"errors"
	"fmt"

	"github.com/daftar-bot/daftar/form"
)

func ExamplePhone() {
	for _, s := range []string{"0812-3456-7890", "+62 812 3456 7890", "(0331) 487 123"} {
		phone, err := form.Phone(s, false)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(phone)
	}
	// Output:
	// +6281234567890
	// +6281234567890
	// form: phone_not_mobile
}

func ExampleNIK() {
	nik, err := form.NIK("3509 0145 0190 0001")
	fmt.Println(nik, err)

	_, err = form.NIK("3509013002900001") // 30 February
	var e *form.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code)
	}
	// Output:
	// 3509014501900001 <nil>
	// nik_date
}
