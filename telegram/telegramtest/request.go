package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// maxBody bounds a request body; Telegram accepts uploads up to 50 MB.
const maxBody = 50 << 20

// request is one Bot API call with its parameters flattened the way Telegram
// sees them: every value is a string, objects and arrays are JSON text.
type request struct {
	ctx    context.Context
	method string
	values map[string]string
	files  map[string]upload
}

// upload is a file sent as a multipart file part.
type upload struct {
	Name string
	Data []byte
}

// parseRequest reads the query string and a multipart, JSON or URL-encoded body.
func parseRequest(hr *http.Request) (*request, error) {
	r := &request{values: make(map[string]string), files: make(map[string]upload)}
	for k, v := range hr.URL.Query() {
		r.values[k] = v[0]
	}
	body, err := io.ReadAll(io.LimitReader(hr.Body, maxBody))
	if err != nil {
		return nil, fmt.Errorf("can't read request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return r, nil
	}
	ct, ctParams, _ := mime.ParseMediaType(hr.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		err = r.parseMultipart(body, ctParams["boundary"])
	case "application/json":
		err = r.parseJSON(body)
	default:
		var q url.Values
		q, err = url.ParseQuery(string(body))
		for k, v := range q {
			r.values[k] = v[0]
		}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (r *request) parseMultipart(body []byte, boundary string) error {
	if r.parseFormFast(body, boundary) {
		return nil
	}
	// Anything but the plain form below, or a malformed one, is read by
	// the standard library, which says what is wrong with it.
	clear(r.values)
	clear(r.files)
	return r.parseMultipartStd(body, boundary)
}

// parseMultipartStd reads a multipart body with mime/multipart.
func (r *request) parseMultipartStd(body []byte, boundary string) error {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// The client library sends an unterminated empty form for
			// methods without parameters.
			if len(r.values) == 0 && len(r.files) == 0 && errors.Is(err, io.ErrUnexpectedEOF) {
				return nil
			}
			return fmt.Errorf("can't parse multipart body: %v", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return fmt.Errorf("can't parse multipart body: %v", err)
		}
		if p.FileName() != "" {
			r.files[p.FormName()] = upload{Name: p.FileName(), Data: data}
			continue
		}
		r.values[p.FormName()] = string(data)
	}
}

// parseFormFast reads the multipart/form-data body that clients send,
// the go-telegram library as every other (RFC 7578): each part's header is
// a Content-Disposition naming the field (and a file's name), perhaps a
// Content-Type, and the part's bytes run to the next CRLF "--" boundary.
// It reports false for anything else, having read nothing that counts:
// the standard library's reader then reads it as it would (it also
// decodes a quoted-printable part). The body is in memory, so the parts
// are sliced out of it instead of going through that reader's buffers,
// which were a sixth of what the fake server allocated.
func (r *request) parseFormFast(body []byte, boundary string) bool {
	if boundary == "" {
		return false
	}
	dash := "--" + boundary
	rest, ok := bytes.CutPrefix(body, []byte(dash))
	if !ok {
		return false
	}
	delim := []byte("\r\n" + dash)
	for {
		if bytes.HasPrefix(rest, []byte("--")) {
			return true // the closing delimiter; what follows is epilogue
		}
		if rest, ok = bytes.CutPrefix(rest, []byte("\r\n")); !ok {
			return false
		}
		header, after, ok := bytes.Cut(rest, []byte("\r\n\r\n"))
		if !ok {
			return false
		}
		data, next, ok := bytes.Cut(after, delim)
		if !ok {
			return false
		}
		var name, file string
		for line := range strings.SplitSeq(string(header), "\r\n") {
			key, value, ok := strings.Cut(line, ":")
			if !ok {
				return false
			}
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "content-disposition":
				if n, ok := plainField(value); ok {
					name = n
					break
				}
				kind, params, err := mime.ParseMediaType(value)
				if err != nil || kind != "form-data" {
					return false
				}
				name, file = params["name"], params["filename"]
				if file != "" {
					file = filepath.Base(file) // as multipart.Part.FileName
				}
			case "content-type":
			default:
				return false
			}
		}
		if name == "" {
			return false
		}
		if file != "" {
			r.files[name] = upload{Name: file, Data: bytes.Clone(data)}
		} else {
			r.values[name] = string(data)
		}
		rest = next
	}
}

// plainField returns the field's name of a Content-Disposition value that
// is just form-data and a name needing no escapes, as a form's text fields
// have; mime.ParseMediaType reads the rest.
func plainField(value string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(value), `form-data; name="`)
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, `"`)
	if !ok || name == "" || strings.ContainsAny(name, `"\;`) {
		return "", false
	}
	return name, true
}

func (r *request) parseJSON(body []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return fmt.Errorf("can't parse JSON body: %v", err)
	}
	for k, raw := range m {
		var str string
		if json.Unmarshal(raw, &str) == nil {
			r.values[k] = str
			continue
		}
		if string(raw) == "null" {
			continue
		}
		r.values[k] = string(raw)
	}
	return nil
}

func (r *request) str(key string) string { return r.values[key] }

// int returns the integer parameter key, 0 when missing.
func (r *request) int(key string) (int64, *apiError) {
	v, ok := r.values[key]
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("invalid %s specified", key))
	}
	return n, nil
}

func (r *request) bool(key string) bool {
	b, _ := strconv.ParseBool(r.values[key])
	return b
}

// chatID returns the numeric chat_id parameter, 0 when missing or not numeric.
func (r *request) chatID() int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(r.values["chat_id"]), 10, 64)
	return n
}

// requireChat returns the chat_id parameter or Telegram's error for it.
func (r *request) requireChat() (int64, *apiError) {
	v := strings.TrimSpace(r.values["chat_id"])
	if v == "" {
		return 0, badRequest("chat_id is empty")
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n == 0 {
		return 0, badRequest("chat not found")
	}
	return n, nil
}
