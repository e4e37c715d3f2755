/// The hand-written OpenAPI 3.0 description of roomd's HTTP API (API.md).
enum OpenAPIDocument {
    static let json = #"""
{
  "openapi": "3.0.3",
  "info": {"title": "Parley roomd", "version": "1.0.0",
           "description": "Rooms, join tokens and media server placement for Parley voice rooms."},
  "components": {
    "securitySchemes": {"adminKey": {"type": "http", "scheme": "bearer", "description": "ROOMD_ADMIN_KEY or admin.key"}},
    "parameters": {
      "roomId": {"name": "roomId", "in": "path", "required": true, "schema": {"type": "string"}},
      "participantId": {"name": "participantId", "in": "path", "required": true, "schema": {"type": "string"}}
    },
    "responses": {
      "Error": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string", "example": "room_not_found"}, "message": {"type": "string"}}}}},
      "CreateRoom": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "pin": {"type": "string", "minLength": 1, "maxLength": 64},
        "maxParticipants": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}}},
      "Room": {"type": "object", "required": ["id", "name", "hasPin", "maxParticipants", "participantCount", "createdAt"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "hasPin": {"type": "boolean"},
        "maxParticipants": {"type": "integer"}, "participantCount": {"type": "integer"},
        "createdAt": {"type": "string", "format": "date-time"}}},
      "RoomList": {"type": "object", "required": ["rooms"], "properties": {"rooms": {"type": "array", "items": {"$ref": "#/components/schemas/Room"}}}},
      "JoinRequest": {"type": "object", "required": ["displayName"], "properties": {
        "displayName": {"type": "string", "minLength": 1, "maxLength": 64},
        "pin": {"type": "string", "minLength": 1, "maxLength": 64}}},
      "IceServer": {"type": "object", "required": ["urls"], "properties": {
        "urls": {"type": "array", "items": {"type": "string"}},
        "username": {"type": "string", "description": "<expiry unix time>:<participantId>"},
        "credential": {"type": "string", "description": "base64(HMAC-SHA1(ROOMD_TURN_SECRET, username))"}}},
      "Join": {"type": "object", "required": ["token", "participantId", "roomId", "expiresAt", "signalingUrl", "iceServers"], "properties": {
        "token": {"type": "string"}, "participantId": {"type": "string"}, "roomId": {"type": "string"},
        "expiresAt": {"type": "string", "format": "date-time"}, "signalingUrl": {"type": "string"},
        "iceServers": {"type": "array", "items": {"$ref": "#/components/schemas/IceServer"}}}},
      "Participant": {"type": "object", "required": ["id", "displayName", "muted", "talking", "joinedAt"], "properties": {
        "id": {"type": "string"}, "displayName": {"type": "string"}, "muted": {"type": "boolean"},
        "talking": {"type": "boolean"}, "joinedAt": {"type": "string", "format": "date-time"}}},
      "ParticipantList": {"type": "object", "required": ["participants"], "properties": {
        "participants": {"type": "array", "items": {"$ref": "#/components/schemas/Participant"}}}},
      "Mute": {"type": "object", "required": ["muted"], "properties": {"muted": {"type": "boolean"}}},
      "MediaServer": {"type": "object", "required": ["id", "udpAddress", "healthy", "rooms", "participants", "lastHeartbeatAt"], "properties": {
        "id": {"type": "string"}, "udpAddress": {"type": "string"}, "healthy": {"type": "boolean"},
        "rooms": {"type": "integer"}, "participants": {"type": "integer"},
        "lastHeartbeatAt": {"type": "string", "format": "date-time"}}},
      "MediaServerList": {"type": "object", "required": ["mediaServers"], "properties": {
        "mediaServers": {"type": "array", "items": {"$ref": "#/components/schemas/MediaServer"}}}},
      "Health": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
    }
  },
  "paths": {
    "/v1/rooms": {
      "post": {"summary": "Create a room", "security": [{"adminKey": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateRoom"}}}},
        "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}},
          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}}},
      "get": {"summary": "List rooms", "security": [{"adminKey": []}],
        "responses": {"200": {"description": "rooms", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RoomList"}}}},
          "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/rooms/{roomId}": {
      "parameters": [{"$ref": "#/components/parameters/roomId"}],
      "get": {"summary": "Show a room", "security": [{"adminKey": []}],
        "responses": {"200": {"description": "room", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Room"}}}},
          "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
      "delete": {"summary": "Close and delete a room; its participants get room-closed", "security": [{"adminKey": []}],
        "responses": {"204": {"description": "deleted"},
          "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/rooms/{roomId}/join": {
      "parameters": [{"$ref": "#/components/parameters/roomId"}],
      "post": {"summary": "Get a join token and the signalling URL",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/JoinRequest"}}}},
        "responses": {"201": {"description": "joined", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Join"}}}},
          "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"},
          "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"},
          "413": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/rooms/{roomId}/participants": {
      "parameters": [{"$ref": "#/components/parameters/roomId"}],
      "get": {"summary": "List the live participants", "security": [{"adminKey": []}],
        "responses": {"200": {"description": "participants", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ParticipantList"}}}},
          "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/rooms/{roomId}/participants/{participantId}/mute": {
      "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/participantId"}],
      "post": {"summary": "Mute or unmute a participant", "security": [{"adminKey": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Mute"}}}},
        "responses": {"200": {"description": "participant", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Participant"}}}},
          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/rooms/{roomId}/participants/{participantId}": {
      "parameters": [{"$ref": "#/components/parameters/roomId"}, {"$ref": "#/components/parameters/participantId"}],
      "delete": {"summary": "Kick a participant and revoke its token", "security": [{"adminKey": []}],
        "responses": {"204": {"description": "kicked"},
          "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/media-servers": {
      "get": {"summary": "List media servers", "security": [{"adminKey": []}],
        "responses": {"200": {"description": "media servers", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MediaServerList"}}}},
          "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/openapi.json": {
      "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 document"}}}
    },
    "/healthz": {
      "get": {"summary": "Readiness", "responses": {
        "200": {"description": "ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
        "503": {"description": "not ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}
    },
    "/metrics": {
      "get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text format", "content": {"text/plain": {"schema": {"type": "string"}}}}}}
    },
    "/admin": {
      "get": {"summary": "The admin page of the web client", "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}},
        "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/": {
      "get": {"summary": "The web client", "parameters": [
          {"name": "room", "in": "query", "schema": {"type": "string"}},
          {"name": "name", "in": "query", "schema": {"type": "string"}},
          {"name": "pin", "in": "query", "schema": {"type": "string"}},
          {"name": "autojoin", "in": "query", "schema": {"type": "string", "enum": ["1"]}}],
        "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}}}
    }
  }
}
"""#
}
