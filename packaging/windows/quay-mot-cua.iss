; Inno Setup 6 script: the Windows installer of Quầy Một Cửa, from the one-folder build (packaging/quay-mot-cua.spec).
; Build on a Windows PC (packaging/windows/README.md):
;   iscc /DAppVersion=0.1.0 packaging\windows\quay-mot-cua.iss
; gives dist\quay-mot-cua-<version>-setup.exe. It installs under Program Files, puts a Start-menu shortcut (and a
; desktop one, ticked by default) with the app's icon, and an uninstaller that removes the program only: the data
; folder (%LOCALAPPDATA%\quay-mot-cua: the database, scans, backups, logs) and this PC's code ledger
; (%APPDATA%\quay-mot-cua) stay where they are, and the uninstaller says so.

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z (see README.md)
#endif
#define AppName "Quầy Một Cửa"
#define AppExe "quay-mot-cua.exe"
#define Dist "..\..\dist\quay-mot-cua"
#define Icon "..\..\build\quay-mot-cua\icon\quay-mot-cua.ico"

[Setup]
AppId={{7C3E5B1A-9F2D-4E8B-A6C1-5D0F3B2E9A47}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Quầy Một Cửa
DefaultDirName={autopf}\Quay Mot Cua
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=quay-mot-cua-{#AppVersion}-setup
SetupIconFile={#Icon}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
LicenseFile=..\..\resources\fonts\LICENSE-OFL.txt
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
; Inno Setup ships no Vietnamese messages file: its own buttons stay in English, our messages are Vietnamese.
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.DesktopIcon=Tạo biểu tượng trên màn hình nền
en.Shortcuts=Biểu tượng:
en.DataKept=Đã gỡ chương trình {#AppName}.%n%nDữ liệu KHÔNG bị xóa: cơ sở dữ liệu, bản số hóa, bản sao lưu và nhật ký vẫn nằm trong thư mục%n%1%nvà sổ mã hồ sơ của máy này trong%n%2.%n%nCài lại chương trình sẽ dùng tiếp dữ liệu này. Muốn xóa hẳn, hãy sao lưu rồi tự xóa các thư mục trên.
en.RunApp=Mở {#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Icon}"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\quay-mot-cua.ico"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; IconFilename: "{app}\quay-mot-cua.ico"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:RunApp}"; Flags: nowait postinstall skipifsilent

; Only what [Files] installed is removed ({app}); nothing under the user's application-data folders is touched.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'),
                      [ExpandConstant('{localappdata}\quay-mot-cua'), ExpandConstant('{userappdata}\quay-mot-cua')]),
           mbInformation, MB_OK);
end;
