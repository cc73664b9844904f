// The Service Control Manager, for Win32Host. UTF-8 names in, Status out.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "toolkit/model/service.h"
#include "toolkit/model/status.h"

namespace otharden {

Result<std::optional<ServiceConfig>> ScmReadService(const std::string& name);
Result<std::vector<ServiceConfig>> ScmListServices();
Result<std::vector<std::string>> ScmRunningDependents(const std::string& name);
Status ScmSetStart(const std::string& name, ServiceStartType start, std::optional<bool> delayed);
Status ScmStop(const std::string& name, std::chrono::milliseconds timeout);
Status ScmStart(const std::string& name, std::chrono::milliseconds timeout);

}  // namespace otharden
