// Package desk is the staff's intake work, the organisers' side of
// registration: a participant's detail screen from /peserta's list and
// the staff's actions on it (Batalkan with a reason, Pindahkan to another
// batch, Hapus data for a walk-in), the walk-in form of /daftarkan and
// the claim link that attaches a walk-in to a Telegram account, the
// notices those actions send, and a selection batch's /seleksi
// (decisions) and /hasil (the results sent).
//
// Invariants:
//
//   - Rights are not decided here. Package bot builds every
//     organiser.Request in one place (newOrgReq: the courses the sender
//     organises) and routes a command or press here only for an
//     organiser; every batch a command names or a button carries is
//     checked against that Request (organiser.Request.Batch, applied to
//     presses by organiser.BatchPress and StampedPress before a handler
//     runs), on every press, so a forged or outdated press is stale.
//   - A handler reads and changes the store in the transaction it is
//     given and returns what to answer (organiser.Result); bot records
//     the replies in that transaction and sends them after commit. The
//     desk never talks to Telegram: it holds no client, and it does not
//     import package bot.
//   - A staff action changes a registration only as the screen showed it:
//     the buttons carry a digest of its stamp (store.Participant.Stamp),
//     and the store's transaction checks it, so of two organisers acting
//     at once one wins and the other is told.
//   - The action names of the desk's buttons (Act…) are in messages
//     already sent: they are only ever added, never renamed. Package bot's
//     button table names them; none is a participant's action.
//   - What the desk waits for (a reason, a walk-in's answer) is the
//     organiser's store.DeskState, so it survives a restart; every screen
//     of the walk-in form has its own number, and an older screen's press
//     is stale.
package desk
