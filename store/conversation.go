package store

import (
	"fmt"
	"time"
)

// Conversation is where one person stands in their chat with the bot: the
// form they are filling in, their language and their consent. The bot owns
// the meaning of State; the store keeps it verbatim.
type Conversation struct {
	UserID  int64  `json:"user_id"`
	ChatID  int64  `json:"chat_id"`
	Lang    string `json:"lang"`
	State   string `json:"state"`
	Step    int    `json:"step"`              // index of the current form field
	Editing bool   `json:"editing,omitempty"` // changing one answer: back to the summary after it
	Amend   bool   `json:"amend,omitempty"`   // editing the answers of a registration already made
	// Course is the course whose form the person fills in (Catalog ids);
	// "" before they chose one.
	Course    string            `json:"course,omitempty"`
	Batch     string            `json:"batch,omitempty"`
	Answers   map[string]string `json:"answers,omitempty"`
	ConsentAt time.Time         `json:"consent_at,omitzero"`
	// Seq grows with every question asked. Buttons carry it, so a press
	// on an old message is recognised and changes nothing.
	Seq       int64     `json:"seq"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// Conversation returns the conversation of userID; ok is false when there is none.
func (tx *Tx) Conversation(userID int64) (c Conversation, ok bool, err error) {
	ok, err = getJSON(tx.tx.Bucket(bucketConversations), i64(userID), &c)
	if err != nil {
		return Conversation{}, false, fmt.Errorf("load conversation: %w", err)
	}
	return c, ok, nil
}

// PutConversation stores c.
func (tx *Tx) PutConversation(c Conversation) error {
	if err := putJSON(tx.tx.Bucket(bucketConversations), i64(c.UserID), c); err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	return nil
}

// CountConversations returns how many people have talked to the bot.
func (tx *Tx) CountConversations() int {
	// Not Bucket.Stats: it reads the committed pages only, so in a
	// read-write transaction it misses what that transaction stored.
	n := 0
	c := tx.tx.Bucket(bucketConversations).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}
