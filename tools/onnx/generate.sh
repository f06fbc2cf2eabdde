#!/usr/bin/env bash
# Regenerates src/Nabla.Onnx/Protobuf/Onnx.g.cs from onnx.proto beside it (ONNX 1.12's schema, from
# Debian's libonnx-dev: /usr/include/onnx/onnx.proto, with a C# namespace option added) using the
# protoc of Google.Protobuf.Tools, the version of the Google.Protobuf runtime the project uses.
# Run it only to move to another schema; the generated file is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
version="$(sed -n 's/.*"Google.Protobuf" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat >"$work/restore.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageReference Include="Google.Protobuf.Tools" Version="$version" /></ItemGroup>
</Project>
XML
dotnet restore "$work/restore.csproj" --packages "$work/packages" -v q
protoc="$(find "$work/packages" -path '*linux_x64/protoc' | head -n 1)"
chmod +x "$protoc"
"$protoc" --proto_path=src/Nabla.Onnx/Protobuf --csharp_out="$work" --csharp_opt=internal_access,file_extension=.g.cs src/Nabla.Onnx/Protobuf/onnx.proto
mv "$work/Onnx.g.cs" src/Nabla.Onnx/Protobuf/Onnx.g.cs
