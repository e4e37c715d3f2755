#include "CShim.h"
#include <openssl/x509.h>

int parley_opus_set_bitrate(OpusEncoder *enc, int bitrate) { return opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate)); }
int parley_opus_set_complexity(OpusEncoder *enc, int complexity) { return opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity)); }
int parley_opus_set_inband_fec(OpusEncoder *enc, int on) { return opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(on)); }
int parley_opus_set_packet_loss_perc(OpusEncoder *enc, int percent) { return opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(percent)); }
int parley_opus_set_dtx(OpusEncoder *enc, int on) { return opus_encoder_ctl(enc, OPUS_SET_DTX(on)); }
int parley_opus_set_signal_voice(OpusEncoder *enc) { return opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE)); }
int parley_opus_set_force_channels(OpusEncoder *enc, int channels) { return opus_encoder_ctl(enc, OPUS_SET_FORCE_CHANNELS(channels)); }
int parley_opus_encoder_reset(OpusEncoder *enc) { return opus_encoder_ctl(enc, OPUS_RESET_STATE); }
int parley_opus_decoder_reset(OpusDecoder *dec) { return opus_decoder_ctl(dec, OPUS_RESET_STATE); }

long parley_ssl_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
long parley_dtls_set_link_mtu(SSL *ssl, long mtu) { return DTLS_set_link_mtu(ssl, mtu); }
long parley_dtls_get_timeout(SSL *ssl, long *sec, long *usec) {
    struct timeval tv = {0, 0};
    long r = DTLSv1_get_timeout(ssl, &tv);
    *sec = (long)tv.tv_sec;
    *usec = (long)tv.tv_usec;
    return r;
}
long parley_dtls_handle_timeout(SSL *ssl) { return DTLSv1_handle_timeout(ssl); }
long parley_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long parley_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list) { return SSL_CTX_set1_groups_list(ctx, list); }
long parley_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
EVP_PKEY *parley_evp_ec_gen_p256(void) { return EVP_EC_gen("P-256"); }

static int parley_accept_any(int preverify_ok, X509_STORE_CTX *ctx) { (void)preverify_ok; (void)ctx; return 1; }
void parley_ssl_ctx_accept_any_peer_cert(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, parley_accept_any);
}
