# n8n with this package installed, on the official image.
#
#   npm ci && npm run release          # makes release/n8n-nodes-teams-meeting-registration-<version>.tgz
#   docker build -t n8n-teams-registration .
#   docker run -it --rm -p 5678:5678 -v n8n_data:/home/node/.n8n n8n-teams-registration
#
# The tarball is installed into /home/node/.n8n/nodes with the same command as the README's
# "Install from the release tarball". The tarball stays in the image under /opt (outside the
# n8n_data volume), because the install records it as a file: dependency.
# A volume mounted on /home/node/.n8n hides what the image installed there unless the volume
# is new and empty (Docker then copies the image's files into it): see the README.
FROM n8nio/n8n:2.41.1

COPY --chown=node:node release/*.tgz /opt/n8n-packages/

RUN mkdir -p /home/node/.n8n/nodes \
	&& npm install --prefix /home/node/.n8n/nodes --omit=peer --ignore-scripts /opt/n8n-packages/*.tgz \
	&& ls /home/node/.n8n/nodes/node_modules/n8n-nodes-teams-meeting-registration/dist \
	&& rm -rf /home/node/.npm
