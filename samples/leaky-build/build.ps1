# Builds bin\Osprey.mez from this folder with MakePQX (see Osprey.pq for why this sample
# exists). MakePQX compile packs every file at the root of the folder.
param(
    [string]$MakePqx = "MakePQX.exe",
    [string]$Configuration = "Release"
)

$ErrorActionPreference = "Stop"
$output = Join-Path $PSScriptRoot "bin"
New-Item -ItemType Directory -Force -Path $output | Out-Null

Write-Host "Building Osprey ($Configuration) into $output"
& $MakePqx compile $PSScriptRoot --target Osprey --dest $output
if ($LASTEXITCODE -ne 0) {
    throw "MakePQX failed with exit code $LASTEXITCODE"
}
