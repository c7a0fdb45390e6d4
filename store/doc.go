// Package store is daftar's domain and its database: the types every other
// package speaks (Course, Batch, Field, Participant, Conversation) and every
// bbolt transaction on them.
//
// It knows nothing of Telegram or cron. The bot and the scheduler change
// state only through the methods here, so the invariants below are kept in
// one place:
//
//   - An update fetched from Telegram is journaled (DB.Journal) in the same
//     transaction that advances the confirmed offset, and leaves the journal
//     only in the transaction that applies its effect (Tx.DoneUpdate), which
//     fails for an update never journaled (ErrNotJournaled): its handler
//     may start while the journal is written (DB.JournalThen), never commit
//     before it.
//   - Concurrent DB.Batch calls share transactions (group.go): one begins
//     at once when no other is running, the calls made meanwhile go
//     together into the next, in the order they came; a function that
//     fails runs again alone after the others committed without it.
//   - A reply that a state change calls for is recorded (Tx.AddReply) in the
//     transaction that makes the change and deleted once Telegram accepted
//     it; PendingReplies lists what a crash left unsent.
//   - An announcement goes into the outbox in one transaction
//     (SendAnnouncement): one entry per recipient, keyed by the
//     announcement's id, which is fixed when the draft is made; so it
//     reaches each person at most once, however often Send is pressed.
//   - An outbox entry's kind is an OutboxKind and its payload is built and
//     read only through payload.go (ReminderEntry and OutboxEntry.Reminder,
//     Offer, Notice, AnnouncementCopy), so the persisted keys of
//     OutboxEntry.Data are written and read in one file.
//   - Every organiser action writes its AuditEntry (Tx.Audit) in the
//     transaction that carries it out.
//   - The rules about batches are written once, here: which a person may
//     still choose (Course.Available), whose dates overlap (Batch.Overlaps,
//     Course.Overlap), when one is full (Standing.Full, an offered seat
//     counting as taken), when its personal data is due for deletion
//     (Batch.RetentionOver) and who earns a certificate
//     (Course.CertificateEligible).
//   - A bot serves the courses of a Catalog. Batch ids are unique across
//     them, so a batch names its course (Catalog.CourseOf) and no stored
//     record but a Conversation (the form being filled in) names a course.
//     Who may act on a course is decided once (Catalog.Organises,
//     OrganisesBatch): telegram.admins every course, a course's admins
//     theirs.
//   - A seat is given only inside ConfirmSeat, which checks the capacity and
//     hands out the lowest free seat number, so seat numbers are unique and
//     have no gaps. A person's seat (TakeSeat), waiting place
//     (JoinWaitingList) and accepted offer (AcceptOffer) are checked
//     against the batch rules in that same transaction: open (the
//     organisers' /buka–/tutup winning over the config), not started, and
//     no seat or waiting place in an overlapping batch. A closed batch
//     hands out no seat: no offer is made and outstanding ones are
//     withdrawn, their holders keeping their waiting places (SettleOffers).
//   - Who may hold a place is one rule, Tx.CheckIntake (person.go,
//     eligibility.go), asked inside every transaction that gives a seat or
//     a waiting place or changes the answers of one (mayJoin,
//     UpdateAnswers): a NIK holds at most one place per batch, whichever
//     account it comes from; an account and a NIK together hold places in
//     at most Course.MaxBatchesPerPerson batches of a course not ended; the
//     batch's Eligibility (age, NIK region, a recent attendance). What
//     holds a place is Status.HoldsPlace. The NIK index is written with
//     the registration (putParticipant, deleteParticipant), so every
//     erasure and retention keeps it.
//   - A batch that admits by selection (Admission.Selection, selection.go)
//     takes applications through TakeSeat's own checks (Apply); its
//     results (SendResults) hold the selected's seats as offers
//     (OfferSelected) and put the reserves on the waiting list behind
//     them, so that the waiting list's rules (offerFreed, AcceptOffer,
//     ExpireOffers) hand on every seat given up. Once its results are out
//     its seats go by them whether or not it takes registrations
//     (handsOnSeats): /tutup ends the applications, not the results.
//     Status.HoldsPlace says which statuses are a place. "Still coming?"
//     (confirm.go) gives a seat up only through CancelRegistration.
//   - A certificate is issued once per person and batch
//     (Tx.IssueCertificate), after the batch's last session (CertificateDue)
//     and to those Course.CertificateEligible names; its number (per batch,
//     never reused) and its random verification code never change. It goes
//     with the registration when the person's data is erased or retired,
//     and then no longer verifies (Tx.VerifyCertificate).
//   - A batch has ended (Batch.Ended) from the midnight after its last
//     day; a roll call is for a day that has come (Batch.Begun).
//
// Values are stored as JSON so that fields can be added without a
// migration; names of persisted states and statuses are only ever added,
// never renamed. The file is created with mode 0600 and carries a schema
// version; a file written by a newer daftar is refused, and one written by
// an older daftar is migrated by a writing Open (migrate.go), all steps and
// the version bump in one transaction, after Options.BeforeMigrate had its
// chance to back the file up.
package store
