// NSS is what Debian's libsrtp2 does its crypto with (libsrtp2-dev depends on
// libnss3-dev); we only initialise it, before libsrtp would (see SrtpLibrary).
#include <nss.h>
