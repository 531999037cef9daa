#pragma once
// One POST of an outbox message to a receiver (an SMS gateway, a unit's webhook), and what its
// answer means for the outbox: 2xx delivered; no answer, a timeout, 408, 425, 429 or 5xx: try
// again later; any other status: the receiver refuses it for good. Redirects are not followed (a
// webhook's body must go only where it was configured to).
#include <httplib.h>

#include <string>

#include "outbox_sender.h"

namespace hcp::central {

// `url`: http:// or https://host[:port][/path]. Headers are sent as given, with Content-Type JSON.
Delivery PostJson(const std::string& url, const httplib::Headers& headers, const std::string& body, int timeout_ms);

// True for an http:// or https:// URL with a host.
bool IsDeliverableUrl(const std::string& url);

}  // namespace hcp::central
