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
