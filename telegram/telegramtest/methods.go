package telegramtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
)

// lookupMethod returns the canonical name of a Bot API method (names are
// case-insensitive) and its handler, nil when the method is not implemented.
func lookupMethod(name string) (string, handler) {
	switch strings.ToLower(name) {
	case "getme":
		return "getMe", getMe
	case "getupdates":
		return "getUpdates", getUpdates
	case "setwebhook":
		return "setWebhook", setWebhook
	case "deletewebhook":
		return "deleteWebhook", deleteWebhook
	case "getwebhookinfo":
		return "getWebhookInfo", getWebhookInfo
	case "sendmessage":
		return "sendMessage", sendMessage
	case "editmessagetext":
		return "editMessageText", editMessageText
	case "editmessagereplymarkup":
		return "editMessageReplyMarkup", editMessageReplyMarkup
	case "deletemessage":
		return "deleteMessage", deleteMessage
	case "answercallbackquery":
		return "answerCallbackQuery", answerCallbackQuery
	case "setmycommands":
		return "setMyCommands", setMyCommands
	case "deletemycommands":
		return "deleteMyCommands", deleteMyCommands
	case "getmycommands":
		return "getMyCommands", getMyCommands
	case "senddocument":
		return "sendDocument", sendDocument
	case "sendphoto":
		return "sendPhoto", sendPhoto
	case "copymessage":
		return "copyMessage", copyMessage
	case "sendchataction":
		return "sendChatAction", sendChatAction
	}
	return name, nil
}

func getMe(s *Server, _ *request) (any, *apiError) { return s.botUser(), nil }

// formatted parses text in parse_mode and checks its length in UTF-16 units.
func formatted(raw, parseMode string, limit int, tooLong string) (string, *apiError) {
	plain := raw
	if strings.EqualFold(parseMode, "HTML") {
		var err error
		if plain, err = parseHTML(raw); err != nil {
			return "", badRequest("can't parse entities: " + err.Error())
		}
	}
	if textLength(plain) > limit {
		return "", badRequest(tooLong)
	}
	return plain, nil
}

// messageText checks a message text as sendMessage and editMessageText do:
// well-formed for its parse mode, at most 4096 characters, not empty.
func messageText(raw, mode string) (string, *apiError) {
	text, e := formatted(raw, mode, 4096, "message is too long")
	if e != nil {
		return "", e
	}
	if strings.TrimSpace(text) == "" {
		return "", badRequest("message text is empty")
	}
	return text, nil
}

func sendMessage(s *Server, r *request) (any, *apiError) {
	chatID, e := r.requireChat()
	if e != nil {
		return nil, e
	}
	raw, mode := r.str("text"), r.str("parse_mode")
	text, e := messageText(raw, mode)
	if e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.str("reply_markup"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	id, wire := s.newWireLocked(c, s.botUser())
	wire["text"] = text
	mk.applyTo(wire)
	m := s.recordLocked(Message{
		Method: "sendMessage", ChatID: chatID, MessageID: id,
		Text: text, RawText: raw, ParseMode: mode,
		Inline: mk.inline, Keyboard: mk.keyboard, RemoveKeyboard: mk.remove,
	})
	c.msgs[id] = &stored{wire: wire, bot: true, msg: m, markup: string(mk.inlineJSON)}
	return wire, nil
}

// sendDocument and sendPhoto keep the uploaded file (or the file_id or URL
// sent instead) and the caption.
func sendDocument(s *Server, r *request) (any, *apiError) { return sendFile(s, r, "document") }

func sendPhoto(s *Server, r *request) (any, *apiError) { return sendFile(s, r, "photo") }

func sendFile(s *Server, r *request, field string) (any, *apiError) {
	chatID, e := r.requireChat()
	if e != nil {
		return nil, e
	}
	f, ok := r.files[field]
	if !ok {
		// "attach://name" refers to another file part; anything else is a
		// file_id or URL.
		ref := r.str(field)
		if name, isAttach := strings.CutPrefix(ref, "attach://"); isAttach {
			f, ok = r.files[name]
		} else if ref != "" {
			f, ok = upload{Name: ref}, true
		}
	}
	if !ok {
		return nil, badRequest(fmt.Sprintf("there is no %s in the request", field))
	}
	caption, e := formatted(r.str("caption"), r.str("parse_mode"), 1024, "message caption is too long")
	if e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.str("reply_markup"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chatID)
	id, wire := s.newWireLocked(c, s.botUser())
	file := map[string]any{
		"file_id":        fmt.Sprintf("%s-%d-%d", field, chatID, id),
		"file_unique_id": fmt.Sprintf("u%d-%d", chatID, id),
		"file_size":      len(f.Data),
	}
	if field == "photo" {
		file["width"], file["height"] = 800, 600
		wire["photo"] = []any{file}
	} else {
		file["file_name"] = f.Name
		wire["document"] = file
	}
	if caption != "" {
		wire["caption"] = caption
	}
	mk.applyTo(wire)
	method := "sendDocument"
	if field == "photo" {
		method = "sendPhoto"
	}
	m := s.recordLocked(Message{
		Method: method, ChatID: chatID, MessageID: id, ParseMode: r.str("parse_mode"),
		FileName: f.Name, FileData: f.Data, Caption: caption,
		Inline: mk.inline, Keyboard: mk.keyboard, RemoveKeyboard: mk.remove,
	})
	c.msgs[id] = &stored{wire: wire, bot: true, msg: m, markup: string(mk.inlineJSON)}
	return wire, nil
}

// editTarget finds the bot message an edit refers to. s.mu must be held.
func (s *Server) editTargetLocked(r *request) (*stored, int64, int64, *apiError) {
	if r.str("inline_message_id") != "" {
		return nil, 0, 0, badRequest("inline messages are not supported by telegramtest")
	}
	chatID, e := r.requireChat()
	if e != nil {
		return nil, 0, 0, e
	}
	msgID, e := r.int("message_id")
	if e != nil {
		return nil, 0, 0, e
	}
	c := s.chats[chatID]
	if c == nil || c.msgs[msgID] == nil {
		return nil, 0, 0, badRequest("message to edit not found")
	}
	st := c.msgs[msgID]
	if !st.bot {
		return nil, 0, 0, badRequest("message can't be edited")
	}
	return st, chatID, msgID, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func editMessageText(s *Server, r *request) (any, *apiError) {
	raw, mode := r.str("text"), r.str("parse_mode")
	text, e := messageText(raw, mode)
	if e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.str("reply_markup"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, chatID, msgID, e := s.editTargetLocked(r)
	if e != nil {
		return nil, e
	}
	if _, ok := st.wire["text"]; !ok {
		return nil, badRequest("there is no text in the message to edit")
	}
	if st.msg.Text == text && st.msg.RawText == raw && st.markup == string(mk.inlineJSON) {
		return nil, badRequest(notModified)
	}
	wire := maps.Clone(st.wire)
	wire["text"] = text
	wire["edit_date"] = time.Now().Unix()
	mk.applyTo(wire)
	m := s.recordLocked(Message{
		Method: "editMessageText", ChatID: chatID, MessageID: msgID,
		Text: text, RawText: raw, ParseMode: mode, Inline: mk.inline,
	})
	st.wire, st.markup = wire, string(mk.inlineJSON)
	st.msg.Text, st.msg.RawText, st.msg.ParseMode, st.msg.Inline = text, raw, mode, mk.inline
	st.msg.Seq, st.msg.Time = m.Seq, m.Time
	return wire, nil
}

func editMessageReplyMarkup(s *Server, r *request) (any, *apiError) {
	mk, e := parseMarkup(r.str("reply_markup"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, chatID, msgID, e := s.editTargetLocked(r)
	if e != nil {
		return nil, e
	}
	if st.markup == string(mk.inlineJSON) {
		return nil, badRequest(notModified)
	}
	wire := maps.Clone(st.wire)
	wire["edit_date"] = time.Now().Unix()
	mk.applyTo(wire)
	m := s.recordLocked(Message{
		Method: "editMessageReplyMarkup", ChatID: chatID, MessageID: msgID, Inline: mk.inline,
	})
	st.wire, st.markup = wire, string(mk.inlineJSON)
	st.msg.Inline, st.msg.Seq, st.msg.Time = mk.inline, m.Seq, m.Time
	return wire, nil
}

func deleteMessage(s *Server, r *request) (any, *apiError) {
	chatID, e := r.requireChat()
	if e != nil {
		return nil, e
	}
	msgID, e := r.int("message_id")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chats[chatID]
	if c == nil || c.msgs[msgID] == nil {
		return nil, badRequest("message to delete not found")
	}
	delete(c.msgs, msgID)
	s.recordLocked(Message{Method: "deleteMessage", ChatID: chatID, MessageID: msgID})
	return true, nil
}

func answerCallbackQuery(s *Server, r *request) (any, *apiError) {
	id := r.str("callback_query_id")
	if textLength(r.str("text")) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cb, ok := s.callbacks[id]
	if !ok || cb.answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	cb.answered = true
	s.callbacks[id] = cb
	s.recordLocked(Message{
		Method: "answerCallbackQuery", ChatID: cb.chatID, MessageID: cb.messageID,
		Text: r.str("text"), RawText: r.str("text"), CallbackQueryID: id, ShowAlert: r.bool("show_alert"),
	})
	return true, nil
}

// copyMessage copies any stored message, the bot's or a user's, without a
// link to the original.
func copyMessage(s *Server, r *request) (any, *apiError) {
	chatID, e := r.requireChat()
	if e != nil {
		return nil, e
	}
	fromID, e := r.int("from_chat_id")
	if e != nil {
		return nil, e
	}
	srcID, e := r.int("message_id")
	if e != nil {
		return nil, e
	}
	_, hasCaption := r.values["caption"]
	caption, e := formatted(r.str("caption"), r.str("parse_mode"), 1024, "message caption is too long")
	if e != nil {
		return nil, e
	}
	mk, e := parseMarkup(r.str("reply_markup"))
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var orig *stored
	if src := s.chats[fromID]; src != nil {
		orig = src.msgs[srcID]
	}
	if orig == nil {
		return nil, badRequest("message to copy not found")
	}
	c := s.chatLocked(chatID)
	id, wire := s.newWireLocked(c, s.botUser())
	for k, v := range orig.wire {
		switch k {
		case "message_id", "date", "chat", "from", "edit_date", "reply_markup", "forward_origin", "reply_to_message":
			continue
		}
		wire[k] = v
	}
	if hasCaption {
		delete(wire, "caption")
		if caption != "" {
			wire["caption"] = caption
		}
	}
	mk.applyTo(wire)
	m := Message{
		Method: "copyMessage", ChatID: chatID, MessageID: id, FromChatID: fromID, CopiedID: srcID,
		Inline: mk.inline, Keyboard: mk.keyboard, RemoveKeyboard: mk.remove, ParseMode: r.str("parse_mode"),
	}
	m.Text, _ = wire["text"].(string)
	m.RawText = m.Text
	m.Caption, _ = wire["caption"].(string)
	if orig.bot {
		m.Text, m.RawText, m.FileName, m.FileData = orig.msg.Text, orig.msg.RawText, orig.msg.FileName, orig.msg.FileData
	} else if doc, ok := wire["document"].(map[string]any); ok {
		m.FileName, _ = doc["file_name"].(string)
	}
	m = s.recordLocked(m)
	c.msgs[id] = &stored{wire: wire, bot: true, msg: m, markup: string(mk.inlineJSON)}
	return map[string]any{"message_id": id}, nil
}

func sendChatAction(_ *Server, r *request) (any, *apiError) {
	if _, e := r.requireChat(); e != nil {
		return nil, e
	}
	if r.str("action") == "" {
		return nil, badRequest("action is empty")
	}
	return true, nil
}

// Command is one entry of the bot's command menu.
type Command struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandScope says where a command menu applies: Type is the BotCommandScope
// type ("default" when none was given), ChatID and UserID are set for the
// scopes that have them.
type CommandScope struct {
	Type         string
	ChatID       int64
	UserID       int64
	LanguageCode string
}

func commandScope(r *request) (CommandScope, *apiError) {
	sc := CommandScope{Type: "default", LanguageCode: r.str("language_code")}
	raw := r.str("scope")
	if strings.TrimSpace(raw) == "" {
		return sc, nil
	}
	var w struct {
		Type   string      `json:"type"`
		ChatID json.Number `json:"chat_id"`
		UserID int64       `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(raw), &w); err != nil || w.Type == "" {
		return sc, badRequest("can't parse BotCommandScope JSON object")
	}
	sc.Type, sc.UserID = w.Type, w.UserID
	sc.ChatID, _ = w.ChatID.Int64()
	return sc, nil
}

func setMyCommands(s *Server, r *request) (any, *apiError) {
	sc, e := commandScope(r)
	if e != nil {
		return nil, e
	}
	var cmds []Command
	if err := json.Unmarshal([]byte(r.str("commands")), &cmds); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if d := textLength(strings.TrimSpace(c.Description)); d < 1 || d > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[sc] = cmds
	return true, nil
}

// validCommand follows Telegram: 1-32 characters, lowercase letters, digits
// and underscores.
func validCommand(c string) bool {
	if len(c) < 1 || len(c) > 32 {
		return false
	}
	for _, r := range c {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

func deleteMyCommands(s *Server, r *request) (any, *apiError) {
	sc, e := commandScope(r)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.commands, sc)
	return true, nil
}

func getMyCommands(s *Server, r *request) (any, *apiError) {
	sc, e := commandScope(r)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Command{}, s.commands[sc]...), nil
}

// Commands returns the command menus the bot set with setMyCommands, per
// scope and language.
func (s *Server) Commands() map[CommandScope][]Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[CommandScope][]Command, len(s.commands))
	for k, v := range s.commands {
		out[k] = append([]Command(nil), v...)
	}
	return out
}
