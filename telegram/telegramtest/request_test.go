package telegramtest

import (
	"bytes"
	"maps"
	"mime/multipart"
	"net/textproto"
	"testing"
)

// Ensure that the fast reading of a form gives what mime/multipart reads
// from the same body, and leaves to it the forms it does not know.
func TestRequest_parseFormFast(t *testing.T) {
	type field struct{ name, file, value, encoding string }
	for _, tc := range []struct {
		name   string
		fields []field
		fast   bool // read by parseFormFast
	}{
		{"text fields", []field{
			{name: "chat_id", value: "42"},
			{name: "text", value: "Halo <b>Budi</b>\r\n--not a boundary\r\n\r\nend"},
			{name: "empty", value: ""},
			{name: "reply_markup", value: `{"inline_keyboard":[[{"text":"Ya","callback_data":"a:1"}]]}`},
		}, true},
		{"a name with quotes", []field{{name: `we"ird\name`, value: "x"}}, true},
		{"a file", []field{
			{name: "chat_id", value: "42"},
			{name: "document", file: "../dir/peserta.csv", value: "a,b\r\n1,2\r\n"},
		}, true},
		{"the same field twice", []field{{name: "a", value: "1"}, {name: "a", value: "2"}}, true},
		{"no fields", nil, false}, // "\r\n--boundary--": the standard library reads it
		{"quoted-printable", []field{{name: "text", value: "caf=C3=A9", encoding: "quoted-printable"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			for _, f := range tc.fields {
				var h textproto.MIMEHeader
				switch {
				case f.encoding != "":
					h = textproto.MIMEHeader{"Content-Disposition": {`form-data; name="` + f.name + `"`}, "Content-Transfer-Encoding": {f.encoding}}
				case f.file != "":
					p, err := w.CreateFormFile(f.name, f.file)
					if err != nil {
						t.Fatal(err)
					}
					p.Write([]byte(f.value))
					continue
				default:
					if err := w.WriteField(f.name, f.value); err != nil {
						t.Fatal(err)
					}
					continue
				}
				p, err := w.CreatePart(h)
				if err != nil {
					t.Fatal(err)
				}
				p.Write([]byte(f.value))
			}
			w.Close()

			fast := &request{values: map[string]string{}, files: map[string]upload{}}
			ok := fast.parseFormFast(body.Bytes(), w.Boundary())
			if ok != tc.fast {
				t.Fatalf("parseFormFast = %v, want %v", ok, tc.fast)
			}
			std := &request{values: map[string]string{}, files: map[string]upload{}}
			if err := std.parseMultipartStd(body.Bytes(), w.Boundary()); err != nil {
				t.Fatal(err)
			}
			got := &request{values: map[string]string{}, files: map[string]upload{}}
			if err := got.parseMultipart(body.Bytes(), w.Boundary()); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got.values, std.values) {
				t.Errorf("values %q, mime/multipart reads %q", got.values, std.values)
			}
			if !maps.EqualFunc(got.files, std.files, func(a, b upload) bool { return a.Name == b.Name && bytes.Equal(a.Data, b.Data) }) {
				t.Errorf("files %q, mime/multipart reads %q", got.files, std.files)
			}
		})
	}
}

// Ensure that a body that is not a whole form is refused as the standard
// library refuses it.
func TestRequest_parseMultipartMalformed(t *testing.T) {
	const boundary = "b0undary"
	for _, body := range []string{
		"--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
		"--b0undary\r\nContent-Disposition: form-data; name=\"a\"\r\n",
		"--b0undary\r\nX-Other: 1\r\n\r\nv\r\n--b0undary--\r\n",
	} {
		r := &request{values: map[string]string{}, files: map[string]upload{}}
		if r.parseFormFast([]byte(body), boundary) {
			t.Errorf("parseFormFast(%q) read it: %q", body, r.values)
		}
		std := &request{values: map[string]string{}, files: map[string]upload{}}
		wantErr := std.parseMultipartStd([]byte(body), boundary)
		err := r.parseMultipart([]byte(body), boundary)
		if (err == nil) != (wantErr == nil) || !maps.Equal(r.values, std.values) {
			t.Errorf("parseMultipart(%q) = %v, %q; mime/multipart: %v, %q", body, err, r.values, wantErr, std.values)
		}
	}
}
