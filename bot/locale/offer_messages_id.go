package locale

var offerMessagesID = OfferMessages{
	AcceptClosed: "Mohon maaf, pendaftaran <b>%s</b> sudah ditutup oleh panitia, jadi tawaran kursi ini tidak bisa diterima lagi. Anda tetap di daftar tunggu (urutan ke-%d); bila pendaftaran dibuka kembali, kursi yang kosong ditawarkan lebih dulu kepada Anda.",
	Withdrawn:    "Pendaftaran <b>%s</b> ditutup oleh panitia, jadi tawaran kursi untuk Anda ditarik. Anda tetap di daftar tunggu; bila pendaftaran dibuka kembali, Anda mendapat tawaran lagi.",
	CloseOffers:  "\n⚠️ %d orang sedang ditawari kursi yang kosong. Selama pendaftaran ditutup tidak ada kursi yang dibagikan: tawaran itu ditarik, orangnya tetap di daftar tunggu dan ditawari lagi bila dibuka kembali.",
	ClosedOffers: "\n%d tawaran kursi ditarik; orangnya tetap di daftar tunggu dan sudah diberi tahu.",
	OpenedOffers: "\n%d kursi kosong ditawarkan ke daftar tunggu.",
}
