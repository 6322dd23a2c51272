// Meta-data of rgmanager's `script`: an LSB init script run with start, stop and status.
export const scriptMetadataXml = `<?xml version="1.0"?>
<resource-agent name="script" version="quorate 1">
  <version>1.0</version>
  <shortdesc lang="en">LSB init script</shortdesc>
  <longdesc lang="en">Runs an LSB-style init script with start, stop and status; any non-zero exit of the script is a failure.</longdesc>
  <parameters>
    <parameter name="name" primary="1" unique="1">
      <shortdesc lang="en">Name</shortdesc>
      <longdesc lang="en">The name services refer to this script by.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="file" unique="1" required="1">
      <shortdesc lang="en">Script path</shortdesc>
      <longdesc lang="en">Full path of the init script, for example /etc/init.d/httpd.</longdesc>
      <content type="string"/>
    </parameter>
    <parameter name="service_name">
      <shortdesc lang="en">Owning service</shortdesc>
      <longdesc lang="en">Name of the service the script belongs to, passed to the script for logging.</longdesc>
      <content type="string" default=""/>
    </parameter>
  </parameters>
  <actions>
    <action name="start" timeout="0"/>
    <action name="stop" timeout="0"/>
    <action name="status" interval="30s" timeout="0"/>
    <action name="monitor" interval="30s" timeout="0"/>
    <action name="meta-data" timeout="5s"/>
    <action name="validate-all" timeout="5s"/>
  </actions>
</resource-agent>
`;
