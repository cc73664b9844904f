// This build's identity, as reports and `otharden version` give it.
#pragma once

#include "toolkit/model/tool_identity.h"

namespace otharden {

ToolIdentity ThisTool();

}  // namespace otharden
