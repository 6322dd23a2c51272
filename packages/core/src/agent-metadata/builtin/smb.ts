// Meta-data of rgmanager's `smb`: a Samba server instance with its own configuration, started
// after the service's addresses are up.
export const smbMetadataXml = `<?xml version="1.0"?>
<resource-agent name="smb" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">Samba server</shortdesc>
  <longdesc lang="en">Runs smbd and nmbd with a configuration of their own for this service, bound to the service's addresses.</longdesc>
  <parameters>
    <parameter name="name" primary="1" unique="1" required="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">NetBIOS name of the server, also the name services refer to it by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="workgroup">
      <shortdesc lang="en">Workgroup</shortdesc>
      <longdesc lang="en">Windows workgroup or domain the server joins.</longdesc>
      <content type="string" default="WORKGROUP"/>
    </parameter>
    <parameter name="config_file">
      <shortdesc lang="en">Configuration file</shortdesc>
      <longdesc lang="en">smb.conf for this instance. Empty: /etc/samba/smb.conf.NAME.</longdesc>
      <content type="string" default=""/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="30s"/>
    <action name="stop" timeout="30s"/>
    <action name="status" interval="1m" timeout="10s"/>
    <action name="monitor" interval="1m" timeout="10s"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
  <special tag="rgmanager">
    <attributes maxinstances="1"/>
  </special>
</resource-agent>
`;
