package telegramtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// User is a simulated Telegram user. In a private chat the chat id is the
// user's ID.
type User struct {
	ID           int64
	FirstName    string
	LastName     string
	Username     string
	LanguageCode string
}

func (u User) wire() map[string]any {
	m := map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName}
	if u.LastName != "" {
		m["last_name"] = u.LastName
	}
	if u.Username != "" {
		m["username"] = u.Username
	}
	if u.LanguageCode != "" {
		m["language_code"] = u.LanguageCode
	}
	return m
}

// queuedUpdate is an update waiting for getUpdates, already marshalled.
type queuedUpdate struct {
	id  int64
	raw json.RawMessage
}

// callbackState is a callback query the bot may answer once.
type callbackState struct {
	chatID, messageID int64
	answered          bool
}

// SetNextUpdateID makes the next update get id, for instance to continue
// after the offset a bot stored before a restart. Update ids start at 1.
func (s *Server) SetNextUpdateID(id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpdateID = id
}

// enqueueLocked adds an update {"update_id": N, kind: payload} and returns
// N. s.mu must be held.
func (s *Server) enqueueLocked(kind string, payload any) int64 {
	id := s.nextUpdateID
	raw, err := appendJSON(make([]byte, 0, 1024), map[string]any{kind: payload, "update_id": id})
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal %s: %v", kind, err))
	}
	return s.queueLocked(id, raw)
}

func (s *Server) enqueueRawLocked(fields map[string]json.RawMessage) int64 {
	id := s.nextUpdateID
	fields["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	raw, err := json.Marshal(fields)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal update: %v", err))
	}
	return s.queueLocked(id, raw)
}

// queueLocked adds update id, written as raw, to the queue. s.mu must be held.
func (s *Server) queueLocked(id int64, raw json.RawMessage) int64 {
	s.nextUpdateID++
	s.queue = append(s.queue, queuedUpdate{id: id, raw: raw})
	s.notifyLocked()
	return id
}

// privateChatLocked returns from's private chat, with from's current names.
func (s *Server) privateChatLocked(from User) *chat {
	c := s.chatLocked(from.ID)
	info := map[string]any{"id": from.ID, "type": "private", "first_name": from.FirstName}
	if from.LastName != "" {
		info["last_name"] = from.LastName
	}
	if from.Username != "" {
		info["username"] = from.Username
	}
	c.info = info
	return c
}

// userMessageLocked stores a new message from `from` in c, with fields set by
// fill, and enqueues it as a "message" update.
func (s *Server) userMessageLocked(c *chat, from User, fill map[string]any) int64 {
	id, wire := s.newWireLocked(c, from.wire())
	for k, v := range fill {
		if k != "message_id" && k != "chat" {
			wire[k] = v
		}
	}
	c.msgs[id] = &stored{wire: wire}
	return s.enqueueLocked("message", wire)
}

// textFields returns "text" and, for a leading /command, the bot_command
// entity Telegram adds.
func textFields(text string) map[string]any {
	m := map[string]any{"text": text}
	if len(text) > 1 && text[0] == '/' {
		cmd := text
		if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
			cmd = text[:i]
		}
		m["entities"] = []any{map[string]any{"type": "bot_command", "offset": 0, "length": textLength(cmd)}}
	}
	return m
}

// SendText enqueues a text message from `from` in their private chat and
// returns its update_id. A leading /command gets a bot_command entity.
func (s *Server) SendText(from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessageLocked(s.privateChatLocked(from), from, textFields(text))
}

// SendContact enqueues a message with a shared contact (contactUserID 0
// leaves user_id out) and returns its update_id.
func (s *Server) SendContact(from User, phone string, contactUserID int64) int64 {
	contact := map[string]any{"phone_number": phone, "first_name": from.FirstName}
	if from.LastName != "" {
		contact["last_name"] = from.LastName
	}
	if contactUserID != 0 {
		contact["user_id"] = contactUserID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessageLocked(s.privateChatLocked(from), from, map[string]any{"contact": contact})
}

// SendMessage enqueues a private message from `from` with any Message fields
// (photo, sticker, document, location, voice, ...) and returns its update_id.
// m must marshal to JSON; message_id and chat are always the server's. It
// panics if m cannot be marshalled.
func (s *Server) SendMessage(from User, m map[string]any) int64 {
	// A JSON round trip keeps the stored message independent of m.
	b, err := json.Marshal(m)
	if err != nil {
		panic("telegramtest: SendMessage: " + err.Error())
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		panic("telegramtest: SendMessage: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessageLocked(s.privateChatLocked(from), from, fields)
}

// SendGroupText enqueues a text message from `from` in the group chatID
// (Telegram group ids are negative) and returns its update_id.
func (s *Server) SendGroupText(from User, chatID int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	if c.info["type"] == "private" {
		c.info = map[string]any{"id": chatID, "type": "group", "title": "Test Group"}
	}
	return s.userMessageLocked(c, from, textFields(text))
}

// EditText enqueues an edited_message update: from's message messageID in
// their private chat, now with text. It returns the update_id.
func (s *Server) EditText(from User, messageID int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.privateChatLocked(from)
	var wire map[string]any
	if st := c.msgs[messageID]; st != nil && !st.bot {
		wire = maps.Clone(st.wire)
		delete(wire, "entities")
	} else {
		wire = map[string]any{"message_id": messageID, "date": time.Now().Unix(), "chat": c.info, "from": from.wire()}
	}
	maps.Copy(wire, textFields(text))
	wire["edit_date"] = time.Now().Unix()
	c.msgs[messageID] = &stored{wire: wire}
	return s.enqueueLocked("edited_message", wire)
}

// PressButton presses the inline button labelled exactly label on the newest
// bot message in from's private chat that has one with callback data, and
// returns the update_id of the callback_query. It returns ErrNoButton when
// there is none.
func (s *Server) PressButton(from User, label string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[from.ID]
	if c != nil {
		for id := c.lastID; id > 0; id-- {
			if data, ok := buttonData(c.msgs[id], label); ok {
				return s.callbackLocked(from, c, id, data), nil
			}
		}
	}
	return 0, fmt.Errorf("press %q: %w", label, ErrNoButton)
}

// PressButtonIn is PressButton on the bot message messageID.
func (s *Server) PressButtonIn(from User, messageID int64, label string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.chats[from.ID]; c != nil {
		if data, ok := buttonData(c.msgs[messageID], label); ok {
			return s.callbackLocked(from, c, messageID, data), nil
		}
	}
	return 0, fmt.Errorf("press %q in message %d: %w", label, messageID, ErrNoButton)
}

func buttonData(st *stored, label string) (string, bool) {
	if st == nil || !st.bot {
		return "", false
	}
	for _, row := range st.msg.Inline {
		for _, b := range row {
			if b.Text == label && b.CallbackData != "" {
				return b.CallbackData, true
			}
		}
	}
	return "", false
}

// Callback enqueues a callback_query from `from` with any data, even data no
// button carries, on message messageID of their private chat, and returns its
// update_id. An unknown message is sent as an inaccessible one (date 0).
func (s *Server) Callback(from User, messageID int64, data string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.callbackLocked(from, s.chatLocked(from.ID), messageID, data)
}

func (s *Server) callbackLocked(from User, c *chat, messageID int64, data string) int64 {
	s.nextCallback++
	id := strconv.FormatInt(s.nextCallback, 10)
	chatID, _ := c.info["id"].(int64)
	s.callbacks[id] = callbackState{chatID: chatID, messageID: messageID}
	msg := map[string]any{"chat": c.info, "message_id": messageID, "date": 0}
	if st := c.msgs[messageID]; st != nil {
		msg = st.wire
	}
	return s.enqueueLocked("callback_query", map[string]any{
		"id":            id,
		"from":          from.wire(),
		"message":       msg,
		"chat_instance": strconv.FormatInt(chatID*7919+1, 10),
		"data":          data,
	})
}

// InjectUpdate enqueues a raw update, a JSON object such as
// {"message":{...}}; the server sets its update_id, which it returns. It
// panics if raw is not a JSON object.
func (s *Server) InjectUpdate(raw json.RawMessage) int64 {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		panic(fmt.Sprintf("telegramtest: InjectUpdate: not a JSON object: %v", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueueRawLocked(fields)
}

// Confirmed reports whether the bot confirmed updateID: it called getUpdates
// with an offset above it, its webhook answered the update's delivery 2xx,
// or it dropped the update with drop_pending_updates.
func (s *Server) Confirmed(updateID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.confirmedLocked(updateID)
}

func (s *Server) confirmedLocked(updateID int64) bool {
	return updateID < s.confirmedTo || s.delivered[updateID]
}

// Pending returns how many updates are not confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// confirmLocked applies getUpdates' offset: a positive offset forgets every
// update below it, a negative one keeps only the last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
		s.confirmedTo = max(s.confirmedTo, offset)
	case offset < 0:
		if keep := int(-offset); keep < len(s.queue) {
			s.queue = s.queue[len(s.queue)-keep:]
			s.confirmedTo = max(s.confirmedTo, s.queue[0].id)
		}
	}
}

// getUpdates long-polls: it answers as soon as updates at or above offset are
// queued, or after timeout seconds with none. While a webhook is set it
// answers 409, as Telegram does, and so do the long polls waiting when one
// is set; it confirms nothing then.
func getUpdates(s *Server, r *request) (any, *apiError) {
	offset, e := r.int("offset")
	if e != nil {
		return nil, e
	}
	limit, e := r.int("limit")
	if e != nil {
		return nil, e
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, e := r.int("timeout")
	if e != nil {
		return nil, e
	}
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	s.mu.Lock()
	if s.hook != nil {
		s.mu.Unlock()
		return nil, webhookActive()
	}
	s.confirmLocked(offset)
	for {
		var out []json.RawMessage
		for _, u := range s.queue {
			if int64(len(out)) == limit {
				break
			}
			if u.id >= offset {
				out = append(out, u.raw)
			}
		}
		changed, closed := s.changed, s.closed
		s.mu.Unlock()
		if len(out) > 0 || expired == nil || closed {
			return queuedUpdates(append([]json.RawMessage{}, out...)), nil
		}
		select {
		case <-changed:
		case <-expired:
			expired = nil
		case <-r.ctx.Done():
			return queuedUpdates{}, nil
		}
		s.mu.Lock()
		if s.hook != nil {
			s.mu.Unlock()
			return nil, webhookActive()
		}
	}
}

func webhookActive() *apiError {
	return &apiError{Code: http.StatusConflict, Description: webhookConflict}
}
