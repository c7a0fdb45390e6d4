package telegramtest

import "time"

// chat holds every message of one chat, the bot's and the users', numbered
// by one counter as Telegram does.
type chat struct {
	info   map[string]any // Telegram Chat object; replaced, never modified
	lastID int64
	msgs   map[int64]*stored
}

// stored is one message of a chat.
type stored struct {
	// wire is the Telegram Message object. It is replaced on edits, never
	// modified, so it may be marshalled after the lock is released.
	wire map[string]any
	bot  bool
	msg  Message // a bot message as it stands now
	// markup is the canonical inline keyboard JSON, "" when none.
	markup string
}

// chatLocked returns the chat with id, creating a private chat (positive id)
// or a group (negative id) on first use. s.mu must be held.
func (s *Server) chatLocked(id int64) *chat {
	c := s.chats[id]
	if c == nil {
		info := map[string]any{"id": id, "type": "private"}
		if id < 0 {
			info = map[string]any{"id": id, "type": "group", "title": "Test Group"}
		}
		c = &chat{info: info, msgs: make(map[int64]*stored)}
		s.chats[id] = c
	}
	return c
}

// newWireLocked allocates the next message id in c and returns the skeleton
// of a Message from sender. s.mu must be held.
func (s *Server) newWireLocked(c *chat, sender map[string]any) (int64, map[string]any) {
	c.lastID++
	return c.lastID, map[string]any{
		"message_id": c.lastID,
		"date":       time.Now().Unix(),
		"chat":       c.info,
		"from":       sender,
	}
}

// botUser is the bot's User object, as getMe returns it.
func (s *Server) botUser() map[string]any {
	return map[string]any{
		"id":                          s.botID,
		"is_bot":                      true,
		"first_name":                  "Daftar Test",
		"username":                    "daftar_test_bot",
		"can_join_groups":             true,
		"can_read_all_group_messages": false,
		"supports_inline_queries":     false,
	}
}
